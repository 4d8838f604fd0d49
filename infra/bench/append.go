package bench

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// appendRig is a fresh event log and a scratch table beside it, in the same
// database, and the generated streams to write to both.
type appendRig struct {
	log     store.Backend
	ceiling ceiling
	parts   [][]streamEvents // one per round
	next    int64            // the next index of the scratch table
}

// newAppendRig generates n events split into e.Sizes.Rounds parts and
// opens a fresh log and ceiling for them.
func newAppendRig(ctx context.Context, e *Env, name string, n int) (*appendRig, error) {
	streams, err := generated(ctx, n, e.Seed)
	if err != nil {
		return nil, err
	}
	loc, err := e.Database(ctx, name)
	if err != nil {
		return nil, err
	}
	log, err := e.OpenStore(ctx, loc, nil)
	if err != nil {
		return nil, err
	}
	var c ceiling
	if e.Backend == Postgres {
		c, err = openPGCeiling(ctx, loc)
	} else {
		c, err = openSQLiteCeiling(ctx, loc.StorePath())
	}
	if err != nil {
		return nil, err
	}
	e.cleanups.add(func(context.Context) error { return c.close() })
	return &appendRig{log: log, ceiling: c, parts: split(streams, max(1, e.Sizes.Rounds))}, nil
}

// rows are the rows of part, at the scratch table's next indexes.
func (r *appendRig) rows(part []streamEvents) ([]row, error) {
	rows, err := rowsOf(part, r.next)
	r.next += int64(len(rows))
	return rows, err
}

// runAppend measures concurrent writers, one event per Append, against
// batched writes of the same rows.
func runAppend(ctx context.Context, e *Env) (Result, error) {
	rig, err := newAppendRig(ctx, e, "append", e.Sizes.AppendEvents)
	if err != nil {
		return Result{}, err
	}
	writers := e.Sizes.Writers
	subject, baseline, err := rig.alternate(ctx, e, rig.ceiling.batched, func(ctx context.Context, c *Counter, part []streamEvents) (Measure, error) {
		return driveUntil(ctx, writers, c, e.Sizes.until(), appendWork(rig.log, part))
	})
	return rateResult("events/s", subject, baseline, rig.ceiling.batchedName()), err
}

// runAppendOne measures one writer, one event per Append, against one
// INSERT and commit per row.
func runAppendOne(ctx context.Context, e *Env) (Result, error) {
	rig, err := newAppendRig(ctx, e, "append1", e.Sizes.SingleEvents)
	if err != nil {
		return Result{}, err
	}
	single := func(ctx context.Context, rows []row) (Measure, error) {
		return rig.ceiling.single(ctx, rows, e.Sizes.until())
	}
	subject, baseline, err := rig.alternate(ctx, e, single, func(ctx context.Context, c *Counter, part []streamEvents) (Measure, error) {
		return driveUntil(ctx, 1, c, e.Sizes.until(), appendWork(rig.log, part))
	})
	return rateResult("events/s", subject, baseline, rig.ceiling.singleName()), err
}

// alternate runs, for each part in turn, the baseline and the subject on
// it, the baseline first in even rounds and last in odd ones so that neither
// side always meets a warmer database, and adds up each side's measures.
func (r *appendRig) alternate(ctx context.Context, e *Env, baseline func(context.Context, []row) (Measure, error),
	subject func(context.Context, *Counter, []streamEvents) (Measure, error)) (s, b Measure, err error) {
	for i, part := range r.parts {
		rows, err := r.rows(part)
		if err != nil {
			return s, b, err
		}
		round := fmt.Sprintf("round %d/%d", i+1, len(r.parts))
		runBaseline := func() error {
			e.Progress.Printf("%s: baseline, %d rows", round, len(rows))
			m, err := baseline(ctx, rows)
			b = b.Plus(m)
			return wrapErr("baseline", err)
		}
		runSubject := func() error {
			c := e.count(round+": appends", len(rows))
			m, err := subject(ctx, c, part)
			c.Done()
			s = s.Plus(m)
			return err
		}
		if err := inTurn(i%2 == 1, runBaseline, runSubject); err != nil {
			return s, b, err
		}
	}
	return s, b, nil
}

// inTurn runs first and then second, or the other way round if swap.
func inTurn(swap bool, first, second func() error) error {
	if swap {
		first, second = second, first
	}
	if err := first(); err != nil {
		return err
	}
	return second()
}

// wrapErr prefixes err, if any, with what failed.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// appendWork hands out the streams of part to the workers of drive, whole:
// each worker appends its stream's events one Append call each, in order.
func appendWork(log store.Log, part []streamEvents) func(int) iter.Seq[Op] {
	queue := make(chan streamEvents, len(part))
	for _, s := range part {
		queue <- s
	}
	close(queue)
	return func(int) iter.Seq[Op] {
		return func(yield func(Op) bool) {
			for s := range queue {
				for v, ev := range s.Events {
					if !yield(appendOp(log, s.Stream, uint64(v), ev)) {
						return
					}
				}
			}
		}
	}
}

// appendOp appends ev to stream at version expected, and checks that the
// log put it where it belongs.
func appendOp(log store.Log, stream string, expected uint64, ev store.Event) Op {
	return func(ctx context.Context) error {
		recs, err := log.Append(ctx, stream, expected, []store.Event{ev})
		if err != nil {
			return fmt.Errorf("append to %s at %d: %w", stream, expected, err)
		}
		if len(recs) != 1 || recs[0].Version != expected+1 {
			return errors.New("append returned the wrong records")
		}
		return nil
	}
}

// rateResult is the result of a subject measured as a rate beside a baseline.
func rateResult(unit string, subject, baseline Measure, baselineName string) Result {
	return Result{Unit: unit, Figure: subject.Rate(), Baseline: baseline.Rate(), BaselineName: baselineName,
		P50: subject.Percentile(0.50), P99: subject.Percentile(0.99), Ops: subject.Ops}
}
