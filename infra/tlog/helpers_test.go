package tlog_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/pgstore"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
	"github.com/erasmus-ledger/ledger/infra/store/sqlitestore"
	"github.com/erasmus-ledger/ledger/infra/tlog"
)

const origin = "ledger.example.eu/recognition"

// openSQLite returns a store on a fresh SQLite file.
func openSQLite(t testing.TB) store.Backend {
	t.Helper()
	b, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "ledger.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// openPostgres returns a store on a fresh PostgreSQL schema.
func openPostgres(t testing.TB) store.Backend {
	t.Helper()
	return openPostgresAt(t, pgtest.URL(t))
}

// openPostgresAt opens a store, with a pool of its own, on url.
func openPostgresAt(t testing.TB, url string) store.Backend {
	t.Helper()
	b, err := pgstore.Open(context.Background(), url, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// sealer returns a fresh AES-GCM sealer.
func sealer(t testing.TB) cipher.AEAD {
	key := make([]byte, 32)
	rand.Read(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return aead
}

// fastConfig signs and polls quickly, so that tests need not wait.
func fastConfig(t testing.TB) tlog.Config {
	return tlog.Config{Origin: origin, Sealer: sealer(t), SignInterval: 20 * time.Millisecond, PollInterval: 50 * time.Millisecond, BatchSize: 7}
}

// start opens a Service on b and runs it until the test ends; stop ends it
// sooner and waits for Run to return.
func start(t testing.TB, b store.Backend, cfg tlog.Config) (s *tlog.Service, stop func()) {
	t.Helper()
	s, err := tlog.New(context.Background(), b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run = %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return s, stop
}

// readAll reads the whole log.
func readAll(t testing.TB, l store.Log) []store.Record {
	t.Helper()
	var all []store.Record
	for {
		page, err := l.ReadLog(context.Background(), uint64(len(all)), 10000)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return all
		}
		all = append(all, page...)
	}
}

// appendEvents appends n events in small batches spread over a few streams,
// with payloads of varying size.
func appendEvents(t testing.TB, l store.Log, n int) {
	t.Helper()
	versions := map[string]uint64{}
	existing := readAll(t, l)
	for _, r := range existing {
		versions[r.Stream] = r.Version
	}
	for next, end := uint64(len(existing)), uint64(len(existing)+n); next < end; {
		stream := fmt.Sprintf("stream-%d", next%5)
		var batch []store.Event
		for ; next < end && len(batch) < 1+int(next%97); next++ {
			batch = append(batch, store.Event{ID: fmt.Sprintf("ev-%d", next), Type: "test.happened", Schema: 1,
				Data: fmt.Appendf(nil, `{"n":%d,"pad":%q}`, next, strings.Repeat("x", int(next%17))), Meta: store.Metadata{Actor: "tester"}})
		}
		if _, err := l.Append(context.Background(), stream, versions[stream], batch); err != nil {
			t.Fatalf("append up to %d: %v", next, err)
		}
		versions[stream] += uint64(len(batch))
	}
}

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitCheckpoint waits for a checkpoint of at least size entries.
func waitCheckpoint(t testing.TB, s *tlog.Service, size uint64) tlog.Signed {
	t.Helper()
	var c tlog.Signed
	waitFor(t, 20*time.Second, fmt.Sprintf("a checkpoint of %d entries", size), func() bool {
		var err error
		c, err = s.Latest(context.Background())
		return err == nil && c.Size >= size
	})
	return c
}
