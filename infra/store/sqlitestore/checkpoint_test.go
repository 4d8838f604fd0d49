package sqlitestore

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/storetest"
)

// TestWALBounded commits many small transactions: the writer never
// checkpoints on its own (wal_autocheckpoint=0), so without the checkpointer
// the WAL would grow by every commit; with it the file stays below a bound,
// and after Close and reopening every event is there.
func TestWALBounded(t *testing.T) {
	t.Parallel()
	const limit = 50 // pages
	path := filepath.Join(t.TempDir(), "ledger.db")
	s, err := openStore(t.Context(), path, Options{}, time.Millisecond, limit)
	if err != nil {
		t.Fatal(err)
	}
	var auto int
	if err := s.w.QueryRowContext(t.Context(), "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("writer wal_autocheckpoint = %d (%v), want 0", auto, err)
	}
	var pageSize int64
	if err := s.r.QueryRowContext(t.Context(), "PRAGMA page_size").Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	const commits = 3000
	var largest int64
	for i := range commits {
		ev := storetest.BenchEvent(fmt.Sprintf("e%d", i))
		if _, err := s.Append(t.Context(), fmt.Sprintf("s%d", i), 0, []store.Event{ev}); err != nil {
			t.Fatal(err)
		}
		// The first half lets the checkpointer empty the WAL the migrations wrote.
		if fi, err := os.Stat(path + "-wal"); err == nil && i >= commits/2 {
			largest = max(largest, fi.Size())
		}
	}
	// Once the WAL reaches the limit the writer checkpoints and the WAL
	// rewinds; the file may also hold what commits add until the background
	// goroutine notices. Unbounded, 1500 commits add ~4500 frames.
	bound := 8 * limit * (pageSize + 24)
	if largest > bound {
		t.Errorf("WAL file reached %d bytes after %d commits, want at most %d", largest, commits, bound)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	recs, err := again.ReadLog(t.Context(), 0, commits+1)
	if err != nil || len(recs) != commits {
		t.Fatalf("after reopening the log holds %d records (%v), want %d", len(recs), err, commits)
	}
}
