package audit_test

import (
	"bytes"
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
)

// BenchmarkAuditVerify audits a log of 200,000 entries of typical size
// (about 470-byte leaves) from memory, as NDJSON lines and as binary frames,
// the work an auditor does per entry once the bytes have arrived. Besides
// entries per second of wall time, which depends on what else the machine
// runs, it reports the process's CPU time per entry, which does not.
func BenchmarkAuditVerify(b *testing.B) {
	const n = 200000
	l := newLedger(b, records(n))
	msg := l.signed(n)
	for name, entries := range map[string][]byte{"lines": stream(b, l.records), "frames": frames(b, l.records)} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(entries)))
			cpu := cpuTime(b)
			for b.Loop() {
				r, err := audit.Verify(context.Background(), audit.Input{Checkpoint: msg, Verifier: l.key.v, Entries: bytes.NewReader(entries)})
				if err != nil || !r.OK() {
					b.Fatal(err, r.Discrepancies)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
			b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/float64(n*b.N), "cpu-µs/entry")
		})
	}
}

// frames is the entries stream of recs as binary frames.
func frames(b *testing.B, recs []store.Record) []byte {
	var out []byte
	for _, r := range recs {
		var err error
		if out, err = entry.AppendFrame(out, r); err != nil {
			b.Fatal(err)
		}
	}
	return out
}

// cpuTime is the CPU time, user and system, the process has used so far.
func cpuTime(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
