package auditor_test

import (
	"context"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/auditor"
)

// benchSize is the size of the benchmarked ledger's log.
const benchSize = 200_000

// BenchmarkAudit runs the audit of `ledger audit --url`, from a fresh state,
// against a ledger serving a realistic generated log of 200,000 events over
// loopback, on each backend: fetch the checkpoint and every entry, verify the
// signature and recompute the root, and (replay) fold every event into the
// read models and compare a sample with the ledger, or (verify) not. Server
// and auditor share the machine; generating the log takes minutes.
//
//	go test -run '^$' -bench Audit -benchtime 3x ./infra/auditor/
func BenchmarkAudit(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			s := serve(b, config(b, backend))
			fill(b, s, benchSize, 11)
			waitCheckpoint(b, s, benchSize)
			if err := s.app.Projections.CatchUp(context.Background()); err != nil {
				b.Fatal(err)
			}
			for _, mode := range []string{"replay", "verify"} {
				b.Run(mode, func(b *testing.B) {
					for b.Loop() {
						res, err := auditor.Run(context.Background(), auditor.Options{URL: s.url, SkipReplay: mode == "verify"})
						if err != nil || !res.OK() || res.Report.Entries != benchSize {
							b.Fatal(err, res.Discrepancies())
						}
					}
					b.ReportMetric(float64(benchSize)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
				})
			}
		})
	}
}
