package projector

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/projections"
)

// batch is a run of consecutive log records and, for those some target
// folds, the decoded events (Data is nil for the others).
type batch struct {
	recs   []store.Record
	events []projections.Event
	err    error
}

// readAhead reads the log from index from on, in batches of ReadBatch, until
// the head or until a batch reaches index upto, decoding the events wants
// names. It reads the next batch while the caller folds the last one.
func (r *Runner) readAhead(ctx context.Context, from, upto uint64, wants func(typ string) bool) <-chan batch {
	out := make(chan batch, 1)
	go func() {
		defer close(out)
		for from < upto {
			recs, err := r.cfg.Backend.ReadLog(ctx, from, r.cfg.ReadBatch)
			b := batch{recs: recs, err: err}
			if err == nil {
				b.events, b.err = r.decode(recs, wants)
			}
			select {
			case out <- b:
			case <-ctx.Done():
				return
			}
			if b.err != nil || len(recs) < r.cfg.ReadBatch {
				return
			}
			from = recs[len(recs)-1].Index + 1
		}
	}()
	return out
}

// decode decodes, on every core, the records whose type wants names, with
// personal data left sealed.
func (r *Runner) decode(recs []store.Record, wants func(typ string) bool) ([]projections.Event, error) {
	events := make([]projections.Event, len(recs))
	err := parallel(len(recs), func(i int) error {
		rec := recs[i]
		events[i] = projections.Event{Index: rec.Index, Stream: rec.Stream, RecordedAt: rec.RecordedAt}
		if !wants(rec.Type) {
			return nil
		}
		e, err := r.cfg.Codec.DecodeSealed(rec)
		events[i].Data = e
		return err
	})
	return events, err
}

// fold folds the log into targets, which must all have folded the same
// prefix, until at least index upto or the head. It calls commit for a
// target whenever it has folded flushEvery events since the last call, and
// once at the end if the target has events pending.
func (r *Runner) fold(ctx context.Context, targets []*target, upto, flushEvery uint64, commit func(context.Context, *target) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wants := func(typ string) bool {
		for _, t := range targets {
			if t.wants[typ] {
				return true
			}
		}
		return false
	}
	for b := range r.readAhead(ctx, targets[0].applied, upto, wants) {
		if b.err != nil {
			return b.err
		}
		if err := foldEach(ctx, targets, b); err != nil {
			return err
		}
		for _, t := range targets {
			if t.applied-max(t.pos, t.flushed) >= flushEvery {
				t.flushed = t.applied
				if err := commit(ctx, t); err != nil {
					return err
				}
			}
		}
	}
	// The reader also stops when ctx ends; that is not the head.
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, t := range targets {
		if t.pending() > 0 {
			if err := commit(ctx, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// foldEach folds b into every target, each on a goroutine of its own: their
// documents are apart, and the events are only read.
func foldEach(ctx context.Context, targets []*target, b batch) error {
	if len(targets) == 1 {
		return targets[0].fold(ctx, b)
	}
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() { errs[i] = t.fold(ctx, b) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// fold applies the events of b that t wants, which must continue exactly
// where t's fold stands.
func (t *target) fold(ctx context.Context, b batch) error {
	for i, rec := range b.recs {
		if rec.Index != t.applied {
			return fmt.Errorf("projection %s: log read returned index %d where %d was due", t.name(), rec.Index, t.applied)
		}
		if e := b.events[i]; e.Data != nil && t.wants[rec.Type] {
			if err := t.proj.Apply(ctx, t.docs, e); err != nil {
				return fmt.Errorf("projection %s: apply %s at %d: %w", t.name(), rec.Type, rec.Index, err)
			}
		}
		t.applied = rec.Index + 1
	}
	return nil
}
