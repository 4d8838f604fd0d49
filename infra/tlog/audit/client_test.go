package audit_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/sqlitestore"
	"github.com/erasmus-ledger/ledger/infra/tlog"
	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
)

// served runs a ledger's transparency log on SQLite behind an HTTP server.
func served(t *testing.T) (store.Backend, *tlog.Service, *httptest.Server) {
	t.Helper()
	b, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "ledger.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	key := make([]byte, 32)
	rand.Read(key)
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	s, err := tlog.New(context.Background(), b, tlog.Config{Origin: origin, Sealer: aead, SignInterval: 10 * time.Millisecond, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return b, s, srv
}

// grow appends n events in batches of ten and waits for a checkpoint of them.
func grow(t *testing.T, b store.Backend, s *tlog.Service, n int) {
	t.Helper()
	ctx := context.Background()
	size, _ := b.Size(ctx)
	for i := 0; i < n; i += 10 {
		var events []store.Event
		for j := i; j < min(n, i+10); j++ {
			events = append(events, store.Event{ID: fmt.Sprintf("e%d", int(size)+j), Type: "t.happened", Schema: 1, Data: []byte(`{"j":1}`)})
		}
		if _, err := b.Append(ctx, fmt.Sprintf("s%d", int(size)+i), 0, events); err != nil {
			t.Fatal(err)
		}
	}
	want := size + uint64(n)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if c, err := s.Latest(ctx); err == nil && c.Size == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint of %d entries", want)
		}
	}
}

// TestAuditOverHTTP audits a running ledger twice, the second time
// remembering the first checkpoint, trusting the served key on first use.
func TestAuditOverHTTP(t *testing.T) {
	t.Parallel()
	b, s, srv := served(t)
	c := &audit.Client{URL: srv.URL + "/", HTTP: srv.Client(), PageSize: 7}
	ctx := context.Background()
	vkey, err := c.Key(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	var remembered *checkpoint.Checkpoint
	for _, n := range []int{45, 30} {
		grow(t, b, s, n)
		msg, err := c.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		head, err := checkpoint.Open(msg, v)
		if err != nil {
			t.Fatal(err)
		}
		entries := c.Entries(ctx, 0, head.Size)
		r, err := audit.Verify(ctx, audit.Input{Checkpoint: msg, Verifier: v, Entries: entries, Remembered: remembered, Prover: c})
		entries.Close()
		if err != nil || !r.OK() || r.Entries != head.Size {
			t.Fatalf("audit of %d entries: %v, %v, %d read", head.Size, err, r.Discrepancies, r.Entries)
		}
		remembered = &head
	}
	if p, err := c.InclusionProof(ctx, 3, 75); err != nil || len(p) == 0 {
		t.Fatalf("inclusion proof: %v, %v", p, err)
	}
}

func TestClientReportsHTTPErrors(t *testing.T) {
	t.Parallel()
	_, _, srv := served(t)
	c := &audit.Client{URL: srv.URL, HTTP: srv.Client()}
	if _, err := c.ConsistencyProof(context.Background(), 5, 3); err == nil {
		t.Fatal("a 400 answer gave no error")
	}
	if _, err := (&audit.Client{URL: srv.URL + "/nothing", HTTP: srv.Client()}).Checkpoint(context.Background()); err == nil {
		t.Fatal("a 404 answer gave no error")
	}
}
