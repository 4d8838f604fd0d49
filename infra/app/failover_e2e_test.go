package app_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/auditor"
	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
)

// TestCheckpointSignerFailover runs two ledger processes on one PostgreSQL
// schema, as behind a load balancer. Exactly one signs checkpoints. The test
// kills it (its database session first, as a crash would, then the process),
// goes on writing through the other, and checks that the other takes over:
// it signs new checkpoints with the same key, every checkpoint either ever
// signed is consistent with the next (RFC 6962 consistency proofs served by
// the survivor, checked by an independent verifier), and an outside audit
// made before the failover is extended by one made after it.
func TestCheckpointSignerFailover(t *testing.T) {
	t.Parallel()
	cfg := logConfig(t, "postgres", 20*time.Millisecond)
	a, stopA := startWith(t, cfg)
	b, stopB := startWith(t, cfg)
	if a.app.Transparency.VerifierKey() != b.app.Transparency.VerifierKey() {
		t.Fatal("the two processes hold different checkpoint keys")
	}
	seed(a)
	a.covered()
	state := filepath.Join(t.TempDir(), "audit.json")
	mustAudit(t, auditor.Options{URL: b.url, State: state})
	signer, stopSigner, survivor := a, stopA, b
	if b.app.Transparency.Leading() {
		signer, stopSigner, survivor = b, stopB, a
	}
	if !signer.app.Transparency.Leading() || survivor.app.Transparency.Leading() {
		t.Fatal("not exactly one process signs")
	}
	admin := survivor.app.Backend.DB()
	if _, err := admin.Exec(`SELECT pg_terminate_backend($1)`, lockHolder(t, admin)); err != nil {
		t.Fatal(err)
	}
	stopSigner()
	token := survivor.token("admin-2", domain.RoleAdmin, "")
	for i := range 20 {
		survivor.must(201, "POST", "/v1/organisations", token, map[string]any{"oid": fmt.Sprintf("E2%07d", i), "name": "After the failover", "country": "AT"})
	}
	survivor.covered()
	if !survivor.app.Transparency.Leading() {
		t.Fatal("the survivor signs without leading")
	}
	checkHistory(t, survivor)
	res := mustAudit(t, auditor.Options{URL: survivor.url, State: state, Full: true})
	if res.Remembered == nil || res.Report.Entries != survivor.size() {
		t.Fatalf("the audit after the failover: remembered %v, %d entries", res.Remembered, res.Report.Entries)
	}
}

// mustAudit audits as o says and fails the test unless the audit passes.
func mustAudit(t *testing.T, o auditor.Options) *auditor.Result {
	t.Helper()
	res, err := auditor.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("the audit found %v", res.Discrepancies())
	}
	return res
}

// lockHolder is the PostgreSQL backend that holds the checkpoint signer's
// advisory lock.
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

// checkHistory checks every checkpoint ever signed by either process: each
// opens with the log's key, and the survivor proves each consistent with the
// next, which an independent RFC 6962 verifier accepts.
func checkHistory(t *testing.T, l *testLedger) {
	t.Helper()
	v, err := note.NewVerifier(l.app.Transparency.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := l.app.Backend.DB().Query(`SELECT note FROM tlog_checkpoints ORDER BY size`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var history []checkpoint.Checkpoint
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			t.Fatal(err)
		}
		c, err := checkpoint.Open([]byte(msg), v)
		if err != nil {
			t.Fatalf("a stored checkpoint does not open with the log's key: %v", err)
		}
		history = append(history, c)
	}
	if len(history) < 3 {
		t.Fatalf("only %d checkpoints were signed", len(history))
	}
	for i := 1; i < len(history); i++ {
		consistent(t, l, history[i-1], history[i])
	}
}

// consistent checks that checkpoint c extends old by the survivor's proof.
func consistent(t *testing.T, l *testLedger, old, c checkpoint.Checkpoint) {
	t.Helper()
	if old.Size == 0 {
		return
	}
	var p struct {
		Hashes [][]byte `json:"hashes"`
	}
	r := l.do("GET", fmt.Sprintf("/v1/log/proofs/consistency?old=%d&size=%d", old.Size, c.Size), "", nil)
	if r.status != 200 || json.Unmarshal(r.body, &p) != nil {
		t.Fatalf("consistency proof from %d to %d: %d %s", old.Size, c.Size, r.status, r.body)
	}
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, old.Size, c.Size, p.Hashes, old.Root[:], c.Root[:]); err != nil {
		t.Fatalf("the checkpoint of %d entries does not extend that of %d: %v", c.Size, old.Size, err)
	}
}
