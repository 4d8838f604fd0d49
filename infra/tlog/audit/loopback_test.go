package audit_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/pgstore"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
	"github.com/erasmus-ledger/ledger/infra/store/sqlitestore"
	"github.com/erasmus-ledger/ledger/infra/tlog"
	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
)

// BenchmarkAuditOverLoopback audits a ledger of 200,000 events served over
// loopback HTTP from each backend: fetching the checkpoint and every entry,
// verifying the signature and recomputing the root, server and auditor on
// the same machine.
func BenchmarkAuditOverLoopback(b *testing.B) {
	const n = 200000
	open := map[string]func(b *testing.B) store.Backend{
		"sqlite": func(b *testing.B) store.Backend {
			s, err := sqlitestore.Open(context.Background(), filepath.Join(b.TempDir(), "ledger.db"), sqlitestore.Options{})
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
		"postgres": func(b *testing.B) store.Backend {
			s, err := pgstore.Open(context.Background(), pgtest.URL(b), pgstore.Options{})
			if err != nil {
				b.Fatal(err)
			}
			return s
		},
	}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			backend := open[name](b)
			defer backend.Close()
			srv, vkey := serveLog(b, backend, n)
			defer srv.Close()
			v, err := note.NewVerifier(vkey)
			if err != nil {
				b.Fatal(err)
			}
			c := &audit.Client{URL: srv.URL, HTTP: srv.Client()}
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				msg, err := c.Checkpoint(ctx)
				if err != nil {
					b.Fatal(err)
				}
				entries := c.Entries(ctx, 0, n)
				r, err := audit.Verify(ctx, audit.Input{Checkpoint: msg, Verifier: v, Entries: entries, Prover: c})
				entries.Close()
				if err != nil || !r.OK() || r.Entries != n {
					b.Fatal(err, r.Discrepancies)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

// serveLog fills backend with n events of typical size, lets a transparency
// log sign a checkpoint of them, and serves it.
func serveLog(b *testing.B, backend store.Backend, n int) (*httptest.Server, string) {
	ctx, cancel := context.WithCancel(context.Background())
	block, _ := aes.NewCipher(make([]byte, 32))
	aead, _ := cipher.NewGCM(block)
	s, err := tlog.New(ctx, backend, tlog.Config{Origin: origin, Sealer: aead})
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-done })
	payload := `"sealed":"` + strings.Repeat("QUJD", 60) + `"`
	for i := 0; i < n; i += 1000 {
		events := make([]store.Event, 0, 1000)
		for j := i; j < i+1000; j++ {
			events = append(events, store.Event{ID: fmt.Sprintf("01JEV%021d", j), Type: "mobility.completed", Schema: 1,
				Data: fmt.Appendf(nil, `{"n":%d,%s}`, j, payload), Meta: store.Metadata{Actor: "E10208051"}})
		}
		if _, err := backend.Append(ctx, fmt.Sprintf("mobility-%d", i), 0, events); err != nil {
			b.Fatal(err)
		}
	}
	for c, _ := s.Latest(ctx); c.Size < uint64(n); c, _ = s.Latest(ctx) {
		time.Sleep(100 * time.Millisecond)
	}
	mux := http.NewServeMux()
	s.Routes(mux)
	return httptest.NewServer(mux), s.VerifierKey()
}
