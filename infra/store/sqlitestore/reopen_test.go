package sqlitestore

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/migration"
	"github.com/erasmus-ledger/ledger/infra/store/storetest"
)

// TestReopen closes a store and opens its file again: every event is still
// there, nothing is migrated twice, and appends continue where they stopped.
func TestReopen(t *testing.T) {
	t.Parallel()
	s, path := open(t, Options{})
	first, err := s.Append(t.Context(), "s", 0, []store.Event{storetest.BenchEvent("e1"), storetest.BenchEvent("e2")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if applied, err := Migrate(t.Context(), path); err != nil || len(applied) != 0 {
		t.Fatalf("Migrate of an opened file applied %v (%v), want nothing", applied, err)
	}
	again, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	recs, err := again.ReadLog(t.Context(), 0, 10)
	if err != nil || len(recs) != 2 || recs[0].ID != first[0].ID || !recs[1].RecordedAt.Equal(first[1].RecordedAt) {
		t.Fatalf("after reopening the log holds %+v (%v), want %+v", recs, err, first)
	}
	next, err := again.Append(t.Context(), "s", 2, []store.Event{storetest.BenchEvent("e3")})
	if err != nil || next[0].Index != 2 || next[0].Version != 3 {
		t.Fatalf("Append after reopening = %+v, %v; want index 2, version 3", next, err)
	}
	var recorded int
	if err := again.DB().QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&recorded); err != nil || recorded != len(migrationNames(t)) {
		t.Errorf("schema_migrations holds %d rows (%v), want %d", recorded, err, len(migrationNames(t)))
	}
}

// migrationNames are the names of the embedded migrations.
func migrationNames(t *testing.T) []string {
	files, err := migration.Load(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	return names
}

// TestMigrateFresh migrates a new file, once.
func TestMigrateFresh(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/fresh.db"
	if applied, err := Migrate(t.Context(), path); err != nil || !slices.Equal(applied, migrationNames(t)) {
		t.Fatalf("Migrate = %v, %v; want %v", applied, err, migrationNames(t))
	}
	if applied, err := Migrate(t.Context(), path); err != nil || len(applied) != 0 {
		t.Fatalf("second Migrate = %v, %v; want nothing", applied, err)
	}
}

// backwardClock returns the times it is given, in order, then the last one;
// until then, the first.
type backwardClock struct {
	mu    sync.Mutex
	armed bool
	times []time.Time
}

func (c *backwardClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.times[0]
	if !c.armed {
		return t
	}
	if len(c.times) > 1 {
		c.times = c.times[1:]
	}
	return t
}

// TestRecordedAtNeverDecreases makes the clock go back and requires recorded
// times to stay put instead, and to have microsecond precision.
func TestRecordedAtNeverDecreases(t *testing.T) {
	t.Parallel()
	base := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	clock := &backwardClock{times: []time.Time{
		base.Add(1500 * time.Nanosecond), base.Add(-time.Hour), base.Add(time.Second),
	}}
	s, _ := open(t, Options{Clock: clock.now})
	clock.mu.Lock()
	clock.armed = true
	clock.mu.Unlock()
	want := []time.Time{base.Add(time.Microsecond), base.Add(time.Microsecond), base.Add(time.Second)}
	for i, w := range want {
		recs, err := s.Append(t.Context(), "s", uint64(i), []store.Event{storetest.BenchEvent(fmt.Sprint(i))})
		if err != nil {
			t.Fatal(err)
		}
		if !recs[0].RecordedAt.Equal(w) {
			t.Errorf("append %d recorded at %v, want %v", i, recs[0].RecordedAt, w)
		}
	}
}

// TestAnotherWriter appends to the file behind the store's back, as a second
// process would: the store must notice its next index is taken and append
// after the intruder, keeping indexes gapless and times ordered.
func TestAnotherWriter(t *testing.T) {
	t.Parallel()
	s, _ := open(t, Options{})
	if _, err := s.Append(t.Context(), "s", 0, []store.Event{storetest.BenchEvent("e0")}); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour).UnixMicro()
	_, err := s.DB().ExecContext(t.Context(), `INSERT INTO events (`+columns+`) VALUES (1, 'other', 'o', 1, 't', 1, x'00', '{}', ?)`, later)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := s.Append(t.Context(), "s", 1, []store.Event{storetest.BenchEvent("e1")})
	if err != nil {
		t.Fatal(err)
	}
	if recs[0].Index != 2 || recs[0].RecordedAt.UnixMicro() != later {
		t.Errorf("Append after another writer got index %d at %v, want index 2 at the intruder's time", recs[0].Index, recs[0].RecordedAt)
	}
}
