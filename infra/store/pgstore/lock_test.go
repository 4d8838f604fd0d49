package pgstore

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
	"github.com/erasmus-ledger/ledger/infra/store/storetest"
)

// TestLockOrdersCommits shows why a reader never skips an event. Without the
// lock, transaction 1 could take index 0, transaction 2 index 1, and 2 commit
// first: a reader would see index 1 and move on before 0 exists. With it, the
// second transaction (and any Append) waits until the first commits, so
// indexes become visible in order.
func TestLockOrdersCommits(t *testing.T) {
	t.Parallel()
	s := open(t, Options{})
	ctx := t.Context()
	tx1 := begin(t, s)
	if idx := rawInsert(t, tx1, s.appendKey, "first"); idx != 0 {
		t.Fatalf("transaction 1 took index %d, want 0", idx)
	}
	second := make(chan int64, 1)
	tx2 := begin(t, s)
	go func() {
		idx := rawInsert(t, tx2, s.appendKey, "second")
		if err := tx2.Commit(ctx); err != nil {
			t.Error(err)
		}
		second <- idx
	}()
	appended := make(chan []store.Record, 1)
	go func() {
		recs, err := s.Append(ctx, "third", 0, []store.Event{storetest.BenchEvent("third")})
		if err != nil {
			t.Error(err)
		}
		appended <- recs
	}()
	waitForLockWaiters(t, s, 2)
	if recs, err := s.ReadLog(ctx, 0, 10); err != nil || len(recs) != 0 {
		t.Fatalf("while transaction 1 is open a reader sees %d events (%v), want none", len(recs), err)
	}
	if err := tx1.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got := []int64{<-second, int64((<-appended)[0].Index)}
	if got[0]+got[1] != 3 {
		t.Errorf("the waiting transaction and Append took indexes %v, want 1 and 2", got)
	}
	checkIndexes(t, s, 3)
}

// begin begins a raw transaction that rolls back when the test ends unless
// it was committed.
func begin(t *testing.T, s *Store) pgx.Tx {
	tx, err := s.pool.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tx.Rollback(context.Background()) }) // Fails harmlessly after Commit.
	return tx
}

// rawInsert does in tx what an append's batch does, for a new stream named
// id, and returns the index it got.
func rawInsert(t *testing.T, tx pgx.Tx, key int64, id string) int64 {
	ctx := t.Context()
	if _, err := tx.Exec(ctx, lockSQL, key); err != nil {
		t.Error(err)
		return -1
	}
	c, err := columnsOf([]*groupcommit.Request{{Stream: id, Events: []store.Event{storetest.BenchEvent(id)}}}, &knownVersions{})
	if err != nil {
		t.Error(err)
		return -1
	}
	var idx int64
	var at time.Time
	err = tx.QueryRow(ctx, insertSQL, c.ids, c.streams, c.versions, c.types, c.schemas, c.data, c.metas,
		c.needStreams, c.needVersions).Scan(&idx, &at)
	if err != nil {
		t.Error(err)
		return -1
	}
	return idx
}

// waitForLockWaiters waits until n sessions wait for s's append lock.
func waitForLockWaiters(t *testing.T, s *Store, n int) {
	t.Helper()
	const q = `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
		AND ((classid::bigint << 32) | objid::bigint) = $1`
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var waiting int
		if err := s.pool.QueryRow(t.Context(), q, s.appendKey).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions wait for the append lock, want %d", waiting, n)
		}
	}
}

// checkIndexes requires the log to hold exactly indexes 0..n-1 in order.
func checkIndexes(t *testing.T, s *Store, n int) {
	t.Helper()
	recs, err := s.ReadLog(t.Context(), 0, n+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n {
		t.Fatalf("the log holds %d events, want %d", len(recs), n)
	}
	for i, r := range recs {
		if r.Index != uint64(i) {
			t.Errorf("log[%d] has index %d", i, r.Index)
		}
	}
}
