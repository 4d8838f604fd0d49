// Package dbtest opens the databases the credentials packages' tests run
// against: a fresh SQLite store and a fresh PostgreSQL schema, both migrated
// by the store backends, so the tests also prove the migrations.
package dbtest

import (
	"path/filepath"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/pgstore"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
	"github.com/erasmus-ledger/ledger/infra/store/sqlitestore"
)

// Each runs test, in parallel, once against each backend, as subtests of t
// named after the dialect. PostgreSQL that cannot be reached fails the test.
func Each(t *testing.T, test func(t *testing.T, b store.Backend)) {
	t.Helper()
	t.Run(string(store.SQLite), func(t *testing.T) {
		t.Parallel()
		test(t, openSQLite(t))
	})
	t.Run(string(store.Postgres), func(t *testing.T) {
		t.Parallel()
		test(t, openPostgres(t))
	})
}

func openSQLite(t *testing.T) store.Backend {
	t.Helper()
	s, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "ledger.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatalf("open SQLite: %v", err)
	}
	t.Cleanup(func() { closeStore(t, s) })
	return s
}

func openPostgres(t *testing.T) store.Backend {
	t.Helper()
	s, err := pgstore.Open(t.Context(), pgtest.URL(t), pgstore.Options{MaxConns: 8})
	if err != nil {
		t.Fatalf("open PostgreSQL: %v", err)
	}
	t.Cleanup(func() { closeStore(t, s) })
	return s
}

func closeStore(t *testing.T, s store.Backend) {
	if err := s.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}
