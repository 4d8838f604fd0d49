package bench

import (
	"context"
	"errors"
	"iter"
	"slices"
	"sync"
	"time"
)

// Op is one timed operation of a workload.
type Op func(ctx context.Context) error

// Measure is what a workload did: how many operations, in how long, and how
// long each took.
type Measure struct {
	Ops       int
	Elapsed   time.Duration
	latencies []time.Duration // sorted; empty when not timed one by one
}

// Rate is operations per second.
func (m Measure) Rate() float64 {
	if m.Elapsed <= 0 {
		return 0
	}
	return float64(m.Ops) / m.Elapsed.Seconds()
}

// Percentile is the latency below which a fraction q (0 < q ≤ 1) of the
// operations finished, by the nearest-rank method; 0 if none was timed.
func (m Measure) Percentile(q float64) time.Duration {
	n := len(m.latencies)
	if n == 0 {
		return 0
	}
	rank := int(q*float64(n)+0.999999) - 1
	return m.latencies[min(max(rank, 0), n-1)]
}

// Plus is m and o together, as if run one after the other.
func (m Measure) Plus(o Measure) Measure {
	lat := slices.Concat(m.latencies, o.latencies)
	slices.Sort(lat)
	return Measure{Ops: m.Ops + o.Ops, Elapsed: m.Elapsed + o.Elapsed, latencies: lat}
}

// drive runs workers goroutines, each running the operations that
// work(worker) yields, one at a time, and times each. The first error stops
// every worker and is returned. c, if not nil, counts finished operations.
func drive(ctx context.Context, workers int, c *Counter, work func(worker int) iter.Seq[Op]) (Measure, error) {
	return driveUntil(ctx, workers, c, time.Time{}, work)
}

// driveUntil is drive, except that no operation starts after until (when
// not zero): a load that is slow to finish is measured on what it did.
func driveUntil(ctx context.Context, workers int, c *Counter, until time.Time, work func(worker int) iter.Seq[Op]) (Measure, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	lats := make([][]time.Duration, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Go(func() { lats[w] = runWorker(ctx, cancel, c, until, work(w)) })
	}
	wg.Wait()
	m := Measure{Elapsed: time.Since(start), latencies: slices.Concat(lats...)}
	m.Ops = len(m.latencies)
	slices.Sort(m.latencies)
	if err := context.Cause(ctx); err != nil {
		return m, err
	}
	return m, nil
}

// runWorker runs ops until they end, ctx does or until passes, and returns
// their latencies. A failed op cancels ctx with its error.
func runWorker(ctx context.Context, cancel context.CancelCauseFunc, c *Counter, until time.Time, ops iter.Seq[Op]) []time.Duration {
	var lat []time.Duration
	for op := range ops {
		if ctx.Err() != nil || !until.IsZero() && time.Now().After(until) {
			break
		}
		t := time.Now()
		if err := op(ctx); err != nil {
			if !errors.Is(err, context.Canceled) || ctx.Err() == nil {
				cancel(err)
			}
			break
		}
		lat = append(lat, time.Since(t))
		if c != nil {
			c.Add(1)
		}
	}
	return lat
}

// timed runs f once and measures it as ops operations, with no latencies.
func timed(ops int, f func() error) (Measure, error) {
	t := time.Now()
	err := f()
	return Measure{Ops: ops, Elapsed: time.Since(t)}, err
}
