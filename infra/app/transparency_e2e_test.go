package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/app/apptest"
	"github.com/erasmus-ledger/ledger/infra/credentials"
	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// logOrigin names the test ledgers' transparency logs.
const logOrigin = "ledger.example.eu/recognition"

// logConfig is the configuration of a ledger on backend whose transparency
// logConfig is a ledger on backend, on a fresh database, whose transparency
// log signs a checkpoint every interval while the log grows.
func logConfig(t *testing.T, backend string, interval time.Duration) app.Config {
	cfg := apptest.Config(t, backend)
	cfg.LogOrigin, cfg.LogSignInterval = logOrigin, interval
	return cfg
}

// startWith runs a ledger with cfg on a free port; stop ends it, as the end
// of the test does.
func startWith(t *testing.T, cfg app.Config) (l *testLedger, stop func()) {
	t.Helper()
	s := apptest.Start(t, cfg)
	return &testLedger{t: t, app: s.App, url: s.URL}, s.Stop
}

// covered waits until a signed checkpoint covers the whole log.
func (l *testLedger) covered() {
	l.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := l.app.Transparency.Latest(context.Background())
		if err == nil && c.Size == l.size() {
			return
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("no checkpoint covers the log of %d entries (latest: %d, %v)", l.size(), c.Size, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// logMember is the log member of a credential's verification.
type logMember struct {
	Index          uint64   `json:"index"`
	TreeSize       uint64   `json:"tree_size"`
	Leaf           []byte   `json:"leaf"`
	InclusionProof [][]byte `json:"inclusion_proof"`
	Checkpoint     string   `json:"checkpoint"`
	Detail         string   `json:"detail"`
}

// verification reads credential id's verification and its log member.
func (l *testLedger) verification(id string) logMember {
	l.t.Helper()
	r := l.do("GET", "/v1/credentials/"+id+"/verification", "", nil)
	var body struct {
		Log logMember `json:"log"`
	}
	if r.status != 200 || json.Unmarshal(r.body, &body) != nil {
		l.t.Fatalf("verification of %s: %d %s", id, r.status, r.body)
	}
	return body.Log
}

// TestCredentialLogProof issues a credential and checks, with nothing but
// what the ledger serves, an independent RFC 6962 verifier and the sumdb
// note package, that its verification proves the log holds its issuance;
// and that a presented credential's ledger check proves it too.
func TestCredentialLogProof(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l, _ := startWith(t, logConfig(t, backend, 20*time.Millisecond))
			w := seedCredentials(l)
			c := issue(l, w.issuer, w.mobility)
			l.covered()
			key := l.do("GET", "/v1/log/key", "", nil)
			v, err := note.NewVerifier(strings.TrimSpace(string(key.body)))
			if err != nil {
				t.Fatalf("served key %q: %v", key.body, err)
			}
			m := l.verification(c.id)
			cp, err := checkpoint.Open([]byte(m.Checkpoint), v)
			if err != nil || cp.Size != m.TreeSize {
				t.Fatalf("checkpoint of the proof: %v, size %d, tree_size %d", err, cp.Size, m.TreeSize)
			}
			hasher := rfc6962.DefaultHasher
			if err := proof.VerifyInclusion(hasher, m.Index, m.TreeSize, hasher.HashLeaf(m.Leaf), m.InclusionProof, cp.Root[:]); err != nil {
				t.Fatalf("the inclusion proof does not verify: %v", err)
			}
			rec, err := leaf.Decode(m.Leaf)
			if err != nil || rec.Type != "credential.issued" || !bytes.Contains(rec.Data, []byte(credentials.TokenSHA256(c.jwt))) {
				t.Fatalf("the leaf is not the issuance of the token: %v %+v", err, rec)
			}
			checkResult(t, verify(l, c.jwt), true, "active")
			if d := checkDetail(verify(l, c.jwt), "ledger"); !strings.Contains(d, "proven against the signed checkpoint") {
				t.Fatalf("ledger check: %s", d)
			}
			metrics := string(l.do("GET", "/metrics", "", nil).body)
			for _, g := range []string{"ledger_tlog_checkpoint_age_seconds", "ledger_tlog_tree_size", "ledger_tlog_signer 1"} {
				if !strings.Contains(metrics, g) {
					t.Errorf("/metrics lacks %s", g)
				}
			}
		})
	}
}

// TestCredentialNotYetCheckpointed issues a credential after the last
// checkpoint: it is in the log, so it verifies, and both verifications say
// that no checkpoint covers it yet.
func TestCredentialNotYetCheckpointed(t *testing.T) {
	t.Parallel()
	l, _ := startWith(t, logConfig(t, "sqlite", time.Hour))
	deadline := time.Now().Add(10 * time.Second)
	for _, err := l.app.Transparency.Latest(context.Background()); err != nil; _, err = l.app.Transparency.Latest(context.Background()) {
		if time.Now().After(deadline) {
			t.Fatal("no first checkpoint")
		}
		time.Sleep(10 * time.Millisecond)
	}
	w := seedCredentials(l)
	c := issue(l, w.issuer, w.mobility)
	if m := l.verification(c.id); m.Checkpoint != "" || !strings.Contains(m.Detail, "not yet covered by a signed checkpoint") {
		t.Fatalf("log member of an issuance not yet checkpointed: %+v", m)
	}
	v := verify(l, c.jwt)
	checkResult(t, v, true, "active")
	if d := checkDetail(v, "ledger"); !strings.Contains(d, "not yet covered by a signed checkpoint") {
		t.Fatalf("ledger check: %s", d)
	}
}

// TestCredentialOfARewrittenLog changes the stored metadata of a
// credential's issuance behind the ledger's back, which no other check
// reads: the issuance no longer matches the signed tree, so the ledger check
// fails and the verification has no proof to give.
func TestCredentialOfARewrittenLog(t *testing.T) {
	t.Parallel()
	cfg := logConfig(t, "postgres", 20*time.Millisecond)
	l, _ := startWith(t, cfg)
	w := seedCredentials(l)
	c := issue(l, w.issuer, w.mobility)
	l.covered()
	index := l.verification(c.id).Index
	conn, err := pgx.Connect(context.Background(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	err = pgx.BeginFunc(context.Background(), conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(context.Background(), `SET LOCAL session_replication_role = replica`); err != nil {
			return err
		}
		_, err := tx.Exec(context.Background(), `UPDATE events SET meta = '{"actor":"someone-else"}' WHERE idx = $1`, int64(index))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := l.verification(c.id); m.Checkpoint != "" || !strings.Contains(m.Detail, "was changed after it was recorded") {
		t.Fatalf("log member of a changed issuance: %+v", m)
	}
	v := verify(l, c.jwt)
	checkResult(t, v, false, "active", "ledger")
	if d := checkDetail(v, "ledger"); !strings.Contains(d, "was changed after it was recorded") {
		t.Fatalf("ledger check: %s", d)
	}
}
