package storetest

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// Bench is the benchmark suite every backend runs against itself, so that
// their figures measure the same work. A backend's benchmark functions call
// its methods; what only one backend can measure stays with the backend.
type Bench[S store.Log] struct {
	// Open opens a new, empty store whose metrics register with reg (none if
	// nil) and closes it when b ends.
	Open func(b *testing.B, reg prometheus.Registerer) S
	// Plain creates in s a table named plain with the events table's columns
	// and constraints, and returns how to insert into it without the store.
	Plain func(b *testing.B, s S) Plain
}

// Plain inserts events into a copy of a store's events table as plainly as the
// database allows: the baseline the store's appends are measured against.
type Plain interface {
	// InsertOne inserts e at log index v as version v+1 of stream "plain", and
	// commits.
	InsertOne(ctx context.Context, v int64, e store.Event) error
	// InsertRows inserts version v of the streams stream-1 … stream-n, at log
	// indexes idx on, and commits once.
	InsertRows(ctx context.Context, idx, v int64, n int) error
}

// BenchEvent is a typical small event.
func BenchEvent(id string) store.Event {
	return store.Event{ID: id, Type: "bench.happened", Schema: 1,
		Data: fmt.Appendf(nil, `{"id":%q,"note":"a payload of typical size for a ledger event"}`, id),
		Meta: store.Metadata{Actor: "bench"}}
}

// Append appends one event per call from one goroutine and from 64
// (GOMAXPROCS rounds it up to a multiple), each to a stream of its own, and
// reports events/s and the mean appends per commit.
func (bb Bench[S]) Append(b *testing.B) {
	b.Run("writers=1", func(b *testing.B) {
		reg := prometheus.NewRegistry()
		s := bb.Open(b, reg)
		appendEach(b, s, "stream-1", b.Loop)
		reportAppends(b, reg)
	})
	b.Run("writers=64", func(b *testing.B) {
		reg := prometheus.NewRegistry()
		s := bb.Open(b, reg)
		var streams atomic.Int64
		b.SetParallelism((64 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			appendEach(b, s, fmt.Sprintf("stream-%d", streams.Add(1)), pb.Next)
		})
		reportAppends(b, reg)
	})
}

// appendEach appends one event to stream for as long as next says.
func appendEach(b *testing.B, s store.Log, stream string, next func() bool) {
	for v := uint64(0); next(); v++ {
		if _, err := s.Append(b.Context(), stream, v, []store.Event{BenchEvent(fmt.Sprintf("%s-%d", stream, v))}); err != nil {
			b.Error(err)
			return
		}
	}
}

// reportAppends reports events/s and the mean appends per commit.
func reportAppends(b *testing.B, reg *prometheus.Registry) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(meanBatch(b, reg), "appends/commit")
}

// meanBatch is the mean of the ledger_append_batch_size histogram in reg.
func meanBatch(b *testing.B, reg *prometheus.Registry) float64 {
	families, err := reg.Gather()
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == "ledger_append_batch_size" {
			h := f.GetMetric()[0].GetHistogram()
			return h.GetSampleSum() / float64(h.GetSampleCount())
		}
	}
	b.Fatal("no ledger_append_batch_size metric")
	return 0
}

// ReadLog reads a log of 10,000 events in batches of 1,000 and reports
// events/s.
func (bb Bench[S]) ReadLog(b *testing.B) {
	const size, batch = 10_000, 1_000
	s := bb.Open(b, nil)
	for i := range size / 100 {
		evs := make([]store.Event, 100)
		for k := range evs {
			evs[k] = BenchEvent(fmt.Sprintf("e-%d-%d", i, k))
		}
		if _, err := s.Append(b.Context(), "s", uint64(i*100), evs); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	var read int
	for i := 0; b.Loop(); i++ {
		recs, err := s.ReadLog(b.Context(), uint64(i*batch%size), batch)
		if err != nil || len(recs) != batch {
			b.Fatalf("ReadLog: %d records, %v", len(recs), err)
		}
		read += len(recs)
	}
	b.ReportMetric(float64(read)/b.Elapsed().Seconds(), "events/s")
}

// LoneWriter alternates, in each iteration, one plain single-row insert and
// commit and one Append of the same kind of event, so that both see the same
// load on a shared machine. It reports the Append's rate as a percentage of
// the insert's.
func (bb Bench[S]) LoneWriter(b *testing.B) {
	s := bb.Open(b, nil)
	plain := bb.Plain(b, s)
	var appending, inserting time.Duration
	for v := int64(0); b.Loop(); v++ {
		e := BenchEvent(fmt.Sprintf("plain-%d", v))
		start := time.Now()
		if err := plain.InsertOne(b.Context(), v, e); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if _, err := s.Append(b.Context(), "lone", uint64(v), []store.Event{BenchEvent(fmt.Sprintf("lone-%d", v))}); err != nil {
			b.Fatal(err)
		}
		appending, inserting = appending+time.Since(mid), inserting+mid.Sub(start)
	}
	b.ReportMetric(100*inserting.Seconds()/appending.Seconds(), "%insert-rate")
}

// ManyWriters alternates, in each iteration, 64 goroutines making 10 appends
// of one event each to streams of their own, and the same 640 events inserted
// plainly 64 rows per commit, so that both see the same load on a shared
// machine. It reports the appends' rate as a percentage of the inserts'.
func (bb Bench[S]) ManyWriters(b *testing.B) {
	const writers, rounds = 64, 10
	s := bb.Open(b, nil)
	plain := bb.Plain(b, s)
	var appending, inserting time.Duration
	for i := int64(0); b.Loop(); i++ {
		start := time.Now()
		appendAll(b, s, writers, rounds, i)
		mid := time.Now()
		for r := range int64(rounds) {
			v := i*rounds + r + 1
			if err := plain.InsertRows(b.Context(), (v-1)*writers, v, writers); err != nil {
				b.Fatal(err)
			}
		}
		appending, inserting = appending+mid.Sub(start), inserting+time.Since(mid)
	}
	b.ReportMetric(100*inserting.Seconds()/appending.Seconds(), "%batched-rate")
}

// appendAll has writers goroutines append rounds events each, to streams of
// their own, in iteration i of a benchmark.
func appendAll(b *testing.B, s store.Log, writers, rounds int, i int64) {
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			stream := fmt.Sprintf("writer-%d", w)
			for r := range rounds {
				v := uint64(i)*uint64(rounds) + uint64(r)
				if _, err := s.Append(b.Context(), stream, v, []store.Event{BenchEvent(fmt.Sprintf("%s-%d", stream, v))}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchStreamEvent is the event of stream-k at version v, as InsertRows
// inserts it: the one Append would get from the benchmarks' writers.
func BenchStreamEvent(k int, v int64) (stream string, e store.Event) {
	stream = fmt.Sprintf("stream-%d", k)
	return stream, BenchEvent(fmt.Sprintf("%s-%d", stream, v-1))
}
