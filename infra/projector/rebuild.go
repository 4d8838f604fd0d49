package projector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/erasmus-ledger/ledger/infra/commands"
)

// Progress is how far a rebuild has got: Position events of the log folded
// into the new generations, out of Head when the log was last read.
type Progress struct {
	Projections []string
	Position    uint64
	Elapsed     time.Duration
}

// Result is what a rebuild did. Build runs from the start to the switch-over,
// Drop is the time spent deleting the generations it replaced.
type Result struct {
	Projections []string
	Events      uint64
	Build       time.Duration
	Drop        time.Duration
}

// EventsPerSecond is the rebuild's throughput up to the switch-over.
func (r Result) EventsPerSecond() float64 {
	if r.Build <= 0 {
		return 0
	}
	return float64(r.Events) / r.Build.Seconds()
}

// Rebuild rebuilds the read models named (all of them if none is) from index
// 0 of the log, reading it once in large batches for all of them. Each is
// folded into a fresh generation while the live one keeps serving and the log
// keeps growing; once the new generation is within a batch of the head, it
// folds the rest under a lock on the read model and becomes live in the same
// transaction. The replaced generation is then dropped. progress, if not nil,
// is called after every commit, from the goroutine that commits, one call at
// a time.
func (r *Runner) Rebuild(ctx context.Context, names []string, progress func(Progress)) (Result, error) {
	if len(names) == 0 {
		names = r.Names()
	}
	start := time.Now()
	b := &rebuild{r: r, names: names, owner: commands.NewID("rebuild"), claims: map[string]claim{}, progress: progress, start: start}
	if err := b.claimAll(ctx, names); err != nil {
		return Result{}, errors.Join(err, b.release(ctx))
	}
	if err := b.run(ctx, names); err != nil {
		return Result{}, errors.Join(err, b.release(context.WithoutCancel(ctx)))
	}
	res := Result{Projections: names, Events: b.targets[0].pos, Build: time.Since(start)}
	dropStart := time.Now()
	for _, name := range names {
		if err := r.drop(ctx, name, b.claims[name].old); err != nil {
			return res, err
		}
	}
	res.Drop = time.Since(dropStart)
	return res, nil
}

// rebuild is one run of Rebuild.
type rebuild struct {
	r         *Runner
	names     []string
	owner     string
	claims    map[string]claim
	targets   []*target
	committer *committer
	progress  func(Progress)
	start     time.Time
}

// claimAll claims every read model named and drops the generations that
// rebuilds which died left behind.
func (b *rebuild) claimAll(ctx context.Context, names []string) error {
	for _, name := range names {
		p, err := b.r.projection(name)
		if err != nil {
			return err
		}
		c, err := b.r.claim(ctx, name, b.owner)
		if err != nil {
			return err
		}
		b.claims[name] = c
		b.targets = append(b.targets, b.r.newTarget(p, c.gen, 0))
		for _, gen := range c.abandoned {
			if err := b.r.drop(ctx, name, gen); err != nil {
				return err
			}
		}
	}
	return nil
}

// run folds the log into the new generations, catches up and switches over.
func (b *rebuild) run(ctx context.Context, names []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b.committer = b.r.startCommitter(ctx)
	if err := b.foldAll(ctx); err != nil {
		return err
	}
	for range 10 {
		head, err := b.r.cfg.Backend.Size(ctx)
		if err != nil {
			return err
		}
		if head <= b.targets[0].applied+uint64(b.r.cfg.ReadBatch) {
			break
		}
		if err := b.foldAll(ctx); err != nil {
			return err
		}
	}
	if err := b.committer.drain(ctx); err != nil {
		return err
	}
	for _, t := range b.targets {
		if err := b.flip(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// foldAll folds the log up to its head into the new generations and commits
// them.
func (b *rebuild) foldAll(ctx context.Context) error {
	if err := b.r.fold(ctx, b.targets, math.MaxUint64, uint64(b.r.cfg.FlushEvery), b.flush); err != nil {
		return err
	}
	for _, t := range b.targets {
		if err := b.commit(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// flush is called every FlushEvery events of the fold. A rebuild keeps its
// documents in memory and writes each one once, when its fold is done, unless
// it holds more than RebuildCache of them. Then it writes, while the fold goes
// on, the changed documents the last FlushEvery events did not use, and drops
// them from memory at the next flush if they are still unused by then. Every
// flush renews the lease and reports progress.
func (b *rebuild) flush(ctx context.Context, t *target) error {
	defer t.docs.tick()
	if t.docs.held() <= b.r.cfg.RebuildCache {
		return b.submit(ctx, t, docBatch{}, t.pos)
	}
	// A spilled document is read back from the database: the writes queued
	// at the last flush must be done first.
	if err := b.committer.drain(ctx); err != nil {
		return err
	}
	t.docs.spill()
	return b.write(ctx, t, t.docs.cold(), t.pos)
}

// commitChunk is how many documents one commit of a rebuild writes at most,
// which bounds the encoded documents held at once.
const commitChunk = 20_000

// commit queues every pending change of t to be stored while the fold goes
// on, moving the position to where the fold stands.
func (b *rebuild) commit(ctx context.Context, t *target) error {
	return b.write(ctx, t, t.docs.dirtyKeys(), t.applied)
}

// write encodes the documents under keys and queues them, a chunk at a time
// and in key order, which fills the index from left to right; the last chunk
// moves the position to to.
func (b *rebuild) write(ctx context.Context, t *target, keys []string, to uint64) error {
	slices.Sort(keys)
	for start := 0; start == 0 || start < len(keys); start += commitChunk {
		end := min(start+commitChunk, len(keys))
		docs, err := t.docs.encode(keys[start:end])
		if err != nil {
			return fmt.Errorf("projection %s: encode: %w", t.name(), err)
		}
		chunkTo := t.pos
		if end == len(keys) {
			chunkTo = to
		}
		if err := b.submit(ctx, t, docs, chunkTo); err != nil {
			return err
		}
	}
	return nil
}

// submit queues docs to be stored in t's generation, which then stands at
// position to, with a renewal of the lease, in one transaction.
func (b *rebuild) submit(ctx context.Context, t *target, docs docBatch, to uint64) error {
	job := commitJob{name: t.name(), gen: t.gen, claim: b.claims[t.name()], from: t.pos, to: to, docs: docs}
	if b.progress != nil {
		folded := t.applied
		job.done = func() { b.progress(Progress{Projections: b.names, Position: folded, Elapsed: time.Since(b.start)}) }
	}
	if err := b.committer.submit(ctx, job); err != nil {
		return err
	}
	t.pos = to
	return nil
}

// flip folds the rest of the log into t while holding the read model's state
// locked, so that no delivery commits to the old generation meanwhile, and
// makes t's generation live in the same transaction. The live read model of
// this process then carries on from t's documents.
func (b *rebuild) flip(ctx context.Context, t *target) error {
	c := b.claims[t.name()]
	err := b.r.db.inConnTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		live, err := b.r.db.liveGeneration(ctx, tx, t.name(), true)
		if err != nil {
			return err
		}
		if live != c.old {
			return fmt.Errorf("projection %s: generation %d went live during the rebuild", t.name(), live)
		}
		if err := b.foldRest(ctx, t); err != nil {
			return err
		}
		docs, err := t.docs.changed()
		if err != nil {
			return err
		}
		if err := b.r.renew(ctx, tx, t.name(), c); err != nil {
			return err
		}
		if err := b.r.store(ctx, conn, tx, t, docs); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE projection_state SET live_generation = $2, lease_owner = '', lease_until = 0
			WHERE projection = $1`, t.name(), t.gen)
		return err
	})
	if err != nil {
		return err
	}
	b.r.committed(t)
	b.r.handOver(t)
	return nil
}

// foldRest folds into t what the log holds beyond t's fold.
func (b *rebuild) foldRest(ctx context.Context, t *target) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for batch := range b.r.readAhead(ctx, t.applied, math.MaxUint64, func(typ string) bool { return t.wants[typ] }) {
		if batch.err != nil {
			return batch.err
		}
		if err := t.fold(ctx, batch); err != nil {
			return err
		}
	}
	return nil
}

// release gives up the leases of a rebuild that failed; the generations it
// started are dropped by the next rebuild.
func (b *rebuild) release(ctx context.Context) error {
	var errs []error
	for name, c := range b.claims {
		_, err := b.r.db.db.ExecContext(ctx, `UPDATE projection_state SET lease_owner = '', lease_until = 0
			WHERE projection = $1 AND lease_owner = $2`, name, c.owner)
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// handOver makes t, which has just gone live, the live read model this
// process advances, keeping the documents it holds.
func (r *Runner) handOver(t *target) {
	l := r.live[t.name()]
	l.mu.Lock()
	defer l.mu.Unlock()
	l.t = t
}
