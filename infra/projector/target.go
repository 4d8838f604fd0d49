package projector

import (
	"context"

	"github.com/erasmus-ledger/ledger/projections"
)

// target is one generation of one read model being advanced by this process.
// pos is the position stored for gen; applied is how far the fold has got,
// the events from pos to applied being folded into docs but not committed.
// flushed is how far the fold had got when it last called for a commit.
type target struct {
	proj    projections.Projection
	wants   map[string]bool
	gen     int64
	pos     uint64
	applied uint64
	flushed uint64
	docs    *docSet
}

// newTarget returns a target for generation gen of p, stored at position pos.
// A generation at position 0 has no documents, so its set starts complete.
func (r *Runner) newTarget(p projections.Projection, gen int64, pos uint64) *target {
	wants := map[string]bool{}
	for _, typ := range p.Types() {
		wants[typ] = true
	}
	load := func(ctx context.Context, key string) ([]byte, bool, error) {
		return r.db.load(ctx, p.Name(), gen, key)
	}
	return &target{proj: p, wants: wants, gen: gen, pos: pos, applied: pos, docs: newDocSet(p, load, pos == 0)}
}

// name is the target's read model's name.
func (t *target) name() string { return t.proj.Name() }

// pending is the number of events folded but not committed.
func (t *target) pending() uint64 { return t.applied - t.pos }
