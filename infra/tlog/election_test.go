package tlog_test

import (
	"database/sql"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
	"github.com/erasmus-ledger/ledger/infra/tlog"
	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
)

// lockHolder is the PostgreSQL backend process holding the signer's lock.
func lockHolder(t *testing.T, db *sql.DB) int {
	t.Helper()
	var pid int
	err := db.QueryRow(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
		AND classid = $1::bigint::oid AND objid = 'tlog_tree'::regclass::oid`, int64(0x746c6f67)).Scan(&pid)
	if err != nil {
		t.Fatalf("find the signer's lock: %v", err)
	}
	return pid
}

// onlyOneLeads samples both services for a while and fails if they ever
// both lead or both follow.
func onlyOneLeads(t *testing.T, a, b *tlog.Service) {
	t.Helper()
	for range 40 {
		if a.Leading() == b.Leading() {
			t.Fatalf("leading: %v and %v, want exactly one", a.Leading(), b.Leading())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSignerFailover runs two services on one PostgreSQL schema, kills the
// signer's database session and stops it, and checks that the other takes
// over and that every checkpoint either signed agrees with one tree.
func TestSignerFailover(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	cfg := fastConfig(t)
	log := openPostgresAt(t, url)
	admin := log.DB()
	a, stopA := start(t, openPostgresAt(t, url), cfg)
	b, stopB := start(t, openPostgresAt(t, url), cfg)
	if a.VerifierKey() != b.VerifierKey() {
		t.Fatalf("two processes hold different keys: %s and %s", a.VerifierKey(), b.VerifierKey())
	}
	appendEvents(t, log, 50)
	waitCheckpoint(t, a, 50)
	onlyOneLeads(t, a, b)
	leader, follower, stopLeader := a, b, stopA
	if b.Leading() {
		leader, follower, stopLeader = b, a, stopB
	}
	if _, err := admin.Exec(`SELECT pg_terminate_backend($1)`, lockHolder(t, admin)); err != nil {
		t.Fatal(err)
	}
	stopLeader()
	if leader.Leading() {
		t.Fatal("a stopped service still leads")
	}
	appendEvents(t, log, 77)
	waitCheckpoint(t, follower, 127)
	if !follower.Leading() {
		t.Fatal("the follower signed without leading")
	}
	checkHistory(t, admin, log, follower.VerifierKey())
}

// checkHistory checks every checkpoint ever stored: its signature opens with
// vkey and its root is the reference root of the log at its size.
func checkHistory(t *testing.T, db *sql.DB, l store.Log, vkey string) {
	t.Helper()
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	ref := reference(t, l)
	rows, err := db.Query(`SELECT note FROM tlog_checkpoints ORDER BY size`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var sizes []uint64
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			t.Fatal(err)
		}
		c, err := checkpoint.Open([]byte(msg), v)
		if err != nil {
			t.Fatalf("stored checkpoint does not open: %v", err)
		}
		if string(c.Root[:]) != string(ref.HashAt(c.Size)) {
			t.Fatalf("checkpoint of %d entries has root %x, the log's is %x", c.Size, c.Root, ref.HashAt(c.Size))
		}
		sizes = append(sizes, c.Size)
	}
	if len(sizes) < 3 || sizes[len(sizes)-1] != 127 {
		t.Fatalf("checkpoints of sizes %v, want several up to 127", sizes)
	}
}

// TestSignersOfSeparateSchemasDoNotBlock runs a service on each of two
// schemas of one database: each must lead its own.
func TestSignersOfSeparateSchemasDoNotBlock(t *testing.T) {
	t.Parallel()
	a, _ := start(t, openPostgres(t), fastConfig(t))
	b, _ := start(t, openPostgres(t), fastConfig(t))
	waitFor(t, 10*time.Second, "both to lead", func() bool { return a.Leading() && b.Leading() })
	ca, cb := waitCheckpoint(t, a, 0), waitCheckpoint(t, b, 0)
	if ca.Size != 0 || cb.Size != 0 {
		t.Fatalf("checkpoints of empty logs: %d and %d entries", ca.Size, cb.Size)
	}
}
