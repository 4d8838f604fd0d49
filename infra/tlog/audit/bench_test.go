package audit_test

import (
	"bytes"
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
)

// BenchmarkAuditVerify audits a log of 200,000 entries of typical size
// (about 470-byte leaves) from memory, the work an auditor does per entry
// once the bytes have arrived. Besides entries per second of wall time, which
// depends on what else the machine runs, it reports the process's CPU time
// per entry, which does not.
func BenchmarkAuditVerify(b *testing.B) {
	const n = 200000
	l := newLedger(b, records(n))
	msg := l.signed(n)
	entries := stream(b, l.records)
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
}

// cpuTime is the CPU time, user and system, the process has used so far.
func cpuTime(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
