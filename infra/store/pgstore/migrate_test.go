package pgstore

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/erasmus-ledger/ledger/infra/store/internal/migration"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
)

// TestMigrate starts four migrations of one schema at once: each file must
// be applied exactly once, and a later run must apply nothing.
func TestMigrate(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.URL(t)
	files, err := migration.Load(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		want = append(want, f.Name)
	}
	var (
		mu  sync.Mutex
		got []string
		wg  sync.WaitGroup
	)
	for range 4 {
		wg.Go(func() {
			applied, err := Migrate(t.Context(), dbURL)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			got = append(got, applied...)
		})
	}
	wg.Wait()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("concurrent migrations applied %v, want each of %v once", got, want)
	}
	if again, err := Migrate(t.Context(), dbURL); err != nil || len(again) != 0 {
		t.Errorf("a second run applied %v (%v), want nothing", again, err)
	}
	checkRecorded(t, dbURL, want)
}

// checkRecorded requires schema_migrations to list exactly names.
func checkRecorded(t *testing.T, dbURL string, names []string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(t.Context(), `SELECT name FROM schema_migrations ORDER BY version`)
	recorded, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recorded, names) {
		t.Errorf("schema_migrations lists %v, want %v", recorded, names)
	}
}

// TestOpenWithoutSchema fails clearly when the search path names no schema
// that exists.
func TestOpenWithoutSchema(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("options", "-c search_path=nowhere")
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	s, err := Open(t.Context(), u.String(), Options{})
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded without a schema")
	}
	if !strings.Contains(err.Error(), "no schema") {
		t.Errorf("Open = %v, want an error saying no schema exists", err)
	}
}
