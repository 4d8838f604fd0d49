package pgstore

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// benchEvent is a typical small event.
func benchEvent(id string) store.Event {
	return store.Event{ID: id, Type: "bench.happened", Schema: 1,
		Data: fmt.Appendf(nil, `{"id":%q,"note":"a payload of typical size for a ledger event"}`, id),
		Meta: store.Metadata{Actor: "bench"}}
}

// BenchmarkAppend appends one event per call from one goroutine and from
// 64 (GOMAXPROCS rounds it up to a multiple), each to a stream of its own.
func BenchmarkAppend(b *testing.B) {
	b.Run("writers=1", func(b *testing.B) {
		reg := prometheus.NewRegistry()
		s := open(b, Options{Registerer: reg})
		appendEach(b, s, "stream-1", b.Loop)
		reportAppends(b, reg)
	})
	b.Run("writers=64", func(b *testing.B) {
		reg := prometheus.NewRegistry()
		s := open(b, Options{Registerer: reg})
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
		if _, err := s.Append(b.Context(), stream, v, []store.Event{benchEvent(fmt.Sprintf("%s-%d", stream, v))}); err != nil {
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

// BenchmarkReadLog reads a log of 10,000 events in batches of 1,000.
func BenchmarkReadLog(b *testing.B) {
	const size, batch = 10_000, 1_000
	s := open(b, Options{})
	for i := range size / 100 {
		evs := make([]store.Event, 100)
		for k := range evs {
			evs[k] = benchEvent(fmt.Sprintf("e-%d-%d", i, k))
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

// BenchmarkInsertBaseline measures what PostgreSQL does without the store,
// to compare BenchmarkAppend with: the same events as BenchmarkAppend's
// writers append, one per INSERT and commit, and 64 (one per stream) per
// INSERT and commit, from one connection.
func BenchmarkInsertBaseline(b *testing.B) {
	for _, rows := range []int{1, 64} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			s := open(b, Options{})
			var idx int64
			for v := int64(1); b.Loop(); v++ {
				if err := insertRows(b, s, "events", idx, v, rows); err != nil {
					b.Fatal(err)
				}
				idx += int64(rows)
			}
			b.ReportMetric(float64(idx)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// insertRows inserts into table, in one statement from log index idx on,
// version v of n streams.
func insertRows(b testing.TB, s *Store, table string, idx, v int64, n int) error {
	c := columns{}
	for k := range n {
		stream := fmt.Sprintf("stream-%d", k+1)
		e := benchEvent(fmt.Sprintf("%s-%d", stream, v-1))
		c.ids, c.streams, c.types = append(c.ids, e.ID), append(c.streams, stream), append(c.types, e.Type)
		c.metas, c.schemas, c.versions = append(c.metas, `{"actor":"bench"}`), append(c.schemas, 1), append(c.versions, v)
		c.data = append(c.data, e.Data)
	}
	_, err := s.pool.Exec(b.Context(), `INSERT INTO `+table+` (idx, id, stream, version, type, schema_version, data, meta, recorded_at)
		SELECT $1 + ord - 1, id, stream, version, type, schema_version, data, meta, clock_timestamp()
		FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::integer[], $7::bytea[], $8::text[])
			WITH ORDINALITY AS i (id, stream, version, type, schema_version, data, meta, ord)`,
		idx, c.ids, c.streams, c.versions, c.types, c.schemas, c.data, c.metas)
	return err
}

// BenchmarkLoneWriter alternates, in each iteration, one Append of one event
// and one plain single-row INSERT and commit of the same kind of event (into
// a copy of the events table), so that both see the same load on a shared
// machine. It reports how fast the Append is compared with the INSERT.
func BenchmarkLoneWriter(b *testing.B) {
	s := open(b, Options{})
	if _, err := s.pool.Exec(b.Context(), `CREATE TABLE plain (LIKE events INCLUDING ALL)`); err != nil {
		b.Fatal(err)
	}
	const insert = `INSERT INTO plain (idx, id, stream, version, type, schema_version, data, meta, recorded_at)
		VALUES ($1::bigint, $2, 'plain', $1::bigint + 1, $3, 1, $4, '{"actor":"bench"}', clock_timestamp())`
	var appending, inserting time.Duration
	for v := int64(0); b.Loop(); v++ {
		e := benchEvent(fmt.Sprintf("plain-%d", v))
		start := time.Now()
		if _, err := s.pool.Exec(b.Context(), insert, v, e.ID, e.Type, e.Data); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if _, err := s.Append(b.Context(), "lone", uint64(v), []store.Event{benchEvent(fmt.Sprintf("lone-%d", v))}); err != nil {
			b.Fatal(err)
		}
		appending, inserting = appending+time.Since(mid), inserting+mid.Sub(start)
	}
	b.ReportMetric(100*inserting.Seconds()/appending.Seconds(), "%insert-rate")
}

// BenchmarkManyWriters alternates, in each iteration, 64 goroutines making
// 10 appends of one event each to streams of their own, and the same 640
// events inserted 64 rows per INSERT and commit into a copy of the events
// table, so that both see the same load on a shared machine. It reports the appends' rate as a percentage of
// the batched inserts'.
func BenchmarkManyWriters(b *testing.B) {
	const writers, rounds = 64, 10
	s := open(b, Options{})
	if _, err := s.pool.Exec(b.Context(), `CREATE TABLE plain (LIKE events INCLUDING ALL)`); err != nil {
		b.Fatal(err)
	}
	var appending, inserting time.Duration
	for i := int64(0); b.Loop(); i++ {
		start := time.Now()
		appendAll(b, s, writers, rounds, i)
		mid := time.Now()
		for r := range int64(rounds) {
			v := i*rounds + r + 1
			if err := insertRows(b, s, "plain", (v-1)*writers, v, writers); err != nil {
				b.Fatal(err)
			}
		}
		appending, inserting = appending+mid.Sub(start), inserting+time.Since(mid)
	}
	b.ReportMetric(100*inserting.Seconds()/appending.Seconds(), "%batched-rate")
}

// appendAll has writers goroutines append rounds events each, to streams of
// their own, in iteration i of a benchmark.
func appendAll(b *testing.B, s *Store, writers, rounds int, i int64) {
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			stream := fmt.Sprintf("writer-%d", w)
			for r := range rounds {
				v := uint64(i)*uint64(rounds) + uint64(r)
				if _, err := s.Append(b.Context(), stream, v, []store.Event{benchEvent(fmt.Sprintf("%s-%d", stream, v))}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
