// Package apptest runs the real ledger on a free port for end-to-end tests,
// on a fresh database of either backend.
package apptest

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"sync"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
)

// Config is a ledger's configuration on backend ("sqlite" or "postgres"), on
// a fresh database: a temporary data directory, and for PostgreSQL a schema
// of the test's own and a fixed master key.
func Config(t testing.TB, backend string) app.Config {
	cfg := app.Config{DataDir: t.TempDir()}
	if backend == "postgres" {
		cfg.DatabaseURL, cfg.MasterKey = pgtest.URL(t), bytes.Repeat([]byte{7}, 32)
	}
	return cfg
}

// Ledger is a ledger serving on a free port.
type Ledger struct {
	App    *app.App
	Config app.Config // as it runs, with its address and public URL
	URL    string     // the public URL, http://127.0.0.1:port
	stop   func()
}

// Start runs a ledger with cfg, on a free port that it sets as cfg's address
// and public URL, until Stop is called or the test ends.
func Start(t testing.TB, cfg app.Config) *Ledger {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Addr, cfg.PublicURL = ln.Addr().String(), "http://"+ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		cancel()
		ln.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	l := &Ledger{App: a, Config: cfg, URL: cfg.PublicURL}
	l.stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if err := a.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	t.Cleanup(l.stop)
	return l
}

// Stop ends the ledger, as the end of the test does; it may be called more
// than once.
func (l *Ledger) Stop() { l.stop() }
