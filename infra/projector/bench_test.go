package projector_test

import (
	"context"
	"flag"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/projections"

	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// benchEvents is the size of the log the rebuild benchmark folds.
var (
	benchEvents = flag.Int("rebuild-events", 200_000, "events in the log of BenchmarkRebuild")
	benchFlush  = flag.Int("rebuild-flush", 0, "events a rebuild folds between commits (0: the default)")
	benchProf   = flag.String("rebuild-cpuprofile", "", "write a CPU profile of the rebuilds alone, without loading the log, to this file")
	benchTrace  = flag.String("rebuild-trace", "", "write an execution trace of the rebuilds alone to this file")
)

// profileRebuilds starts the profile and trace asked for by the flags, and
// returns what stops them.
func profileRebuilds(b *testing.B, kind string) func() {
	var stops []func()
	if *benchProf != "" {
		f, err := os.Create(*benchProf + "." + kind)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if *benchTrace != "" {
		f, err := os.Create(*benchTrace + "." + kind)
		if err != nil {
			b.Fatal(err)
		}
		if err := trace.Start(f); err != nil {
			b.Fatal(err)
		}
		stops = append(stops, func() { trace.Stop(); f.Close() })
	}
	return func() {
		for _, stop := range stops {
			stop()
		}
	}
}

// BenchmarkRebuild reports the throughput of a rebuild from index 0, in log
// events per second up to the switch-over, for all read models at once and
// for the transcript alone, on both stores.
func BenchmarkRebuild(b *testing.B) {
	for _, kind := range backends {
		b.Run(kind, func(b *testing.B) {
			st := open(b, kind)
			c := newCodec(b, st)
			start := time.Now()
			load(b, st, generate(b, c, *benchEvents, 42))
			b.Logf("%s: loaded %d events in %v", kind, *benchEvents, time.Since(start).Round(time.Millisecond))
			r := runner(b, st, c, 0, *benchFlush)
			defer profileRebuilds(b, kind)()
			for _, names := range [][]string{nil, {transcript.Name}} {
				label := "all"
				if names != nil {
					label = names[0]
				}
				b.Run(label, func(b *testing.B) {
					var perSec float64
					for b.Loop() {
						res, err := r.Rebuild(context.Background(), names, nil)
						if err != nil {
							b.Fatal(err)
						}
						perSec = res.EventsPerSecond()
						b.Logf("%s %s: %d events in %v (%.0f events/s), old generation dropped in %v",
							kind, label, res.Events, res.Build.Round(time.Millisecond), perSec, res.Drop.Round(time.Millisecond))
					}
					b.ReportMetric(perSec, "events/s")
				})
			}
		})
	}
}

// BenchmarkFoldInMemory reports the CPU cost of a rebuild without the
// database: decoding stored events, folding them into all read models and
// encoding the documents as a rebuild does, in events per second on one
// core.
func BenchmarkFoldInMemory(b *testing.B) {
	st := open(b, "sqlite")
	c := newCodec(b, st)
	appends := generate(b, c, 50_000, 42)
	recs := make([]store.Record, len(appends))
	for i, a := range appends {
		recs[i] = store.Record{Index: uint64(i), ID: a.Event.ID, Stream: a.Stream, Version: a.Expected + 1, Type: a.Event.Type,
			Schema: a.Event.Schema, Data: a.Event.Data, RecordedAt: time.Unix(int64(i), 0).UTC()}
	}
	ctx := context.Background()
	var buf []byte
	for b.Loop() {
		events := make([]projections.Event, len(recs))
		for i, r := range recs {
			e, err := c.DecodeSealed(r)
			if err != nil {
				b.Fatal(err)
			}
			events[i] = projections.Event{Index: r.Index, Stream: r.Stream, RecordedAt: r.RecordedAt, Data: e}
		}
		for _, p := range all() {
			docs := projections.NewMemory()
			if err := projections.Fold(ctx, p, docs, events); err != nil {
				b.Fatal(err)
			}
			for _, k := range docs.Keys() {
				v, _ := docs.Get(ctx, k)
				var err error
				if buf, err = codec.AppendJSON(buf[:0], v); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(len(recs)*b.N)/b.Elapsed().Seconds(), "events/s")
}
