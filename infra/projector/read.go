package projector

import (
	"context"

	"github.com/erasmus-ledger/ledger/projections"
)

// Docs returns read model name's live documents as they are now, for reading.
// The view keeps to the generation live when it was made. Put changes only the
// view: it lets a caller overlay documents (as a fold would) without writing.
func (r *Runner) Docs(ctx context.Context, name string) (projections.Docs, error) {
	p, err := r.projection(name)
	if err != nil {
		return nil, err
	}
	gen, _, err := r.db.live(ctx, r.db.db, name)
	if err != nil {
		return nil, err
	}
	load := func(ctx context.Context, key string) ([]byte, bool, error) { return r.db.load(ctx, name, gen, key) }
	return newDocSet(p, load, false), nil
}

// Position is the number of log events folded into read model name's live
// generation.
func (r *Runner) Position(ctx context.Context, name string) (uint64, error) {
	if _, err := r.projection(name); err != nil {
		return 0, err
	}
	_, pos, err := r.db.live(ctx, r.db.db, name)
	return pos, err
}
