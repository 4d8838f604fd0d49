package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/app/apptest"
)

// serveLedger runs an embedded ledger on a free port with a few events
// recorded and covered by a checkpoint, and returns its URL and key.
func serveLedger(t *testing.T) (url, key string) {
	t.Helper()
	cfg := apptest.Config(t, "sqlite")
	cfg.LogSignInterval = 20 * time.Millisecond
	l := apptest.Start(t, cfg)
	a, url := l.App, l.URL
	admin, err := a.MintToken("admin-1", []domain.Role{domain.RoleAdmin}, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, oid := range []string{"E10208051", "E10154720", "E10000003"} {
		body := `{"oid":"` + oid + `","name":"Kita Regenbogen","country":"DE"}`
		req, _ := http.NewRequest("POST", url+"/v1/organisations", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+admin)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("register %s: %v %v", oid, err, resp)
		}
		resp.Body.Close()
	}
	waitCovered(t, a)
	return url, a.Transparency.VerifierKey()
}

// waitCovered waits for a checkpoint of the whole log.
func waitCovered(t *testing.T, a *app.App) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		c, err := a.Transparency.Latest(context.Background())
		n, _ := a.Backend.Size(context.Background())
		if err == nil && c.Size == n && n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint covers the log")
		}
	}
}

// TestAuditCommand runs `ledger audit` against a running ledger: a first
// audit trusts and pins the served key and saves an archive; a second
// proves the log unchanged; an archive with one leaf changed fails, exits
// non-zero and names the entry.
func TestAuditCommand(t *testing.T) {
	t.Parallel()
	url, key := serveLedger(t)
	dir := t.TempDir()
	state, archive := filepath.Join(dir, "state.json"), filepath.Join(dir, "entries.ndjson")
	out, _, err := runCapture(t, nil, "audit", "--url", url, "--state", state, "--save-entries", archive)
	if err != nil || !strings.Contains(out, "audit OK: 3 entries") || !strings.Contains(out, "--key "+key) {
		t.Fatalf("first audit: %v\n%s", err, out)
	}
	out, _, err = runCapture(t, []string{"LEDGER_URL=" + url, "LEDGER_STATE=" + state}, "audit")
	if err != nil || !strings.Contains(out, "pinned in the state file") || !strings.Contains(out, "its 3 entries are unchanged") {
		t.Fatalf("second audit: %v\n%s", err, out)
	}
	forged := filepath.Join(dir, "forged.ndjson")
	changeLeaf(t, archive, forged, 1)
	out, _, err = runCapture(t, nil, "audit", "--entries", forged, "--key", key)
	if !errors.Is(err, errDiscrepancies) || exitCode(err) != 1 || !strings.Contains(out, "audit FAILED") || !strings.Contains(out, "root-mismatch") {
		t.Fatalf("audit of a forged archive: %v\n%s", err, out)
	}
	if _, _, err := runCapture(t, nil, "audit", "--state", state); exitCode(err) != 2 {
		t.Fatalf("audit with nothing to audit: %v", err)
	}
}

// changeLeaf copies the archive from to to, with one byte of the leaf of
// entry i changed, and the checkpoint beside it.
func changeLeaf(t *testing.T, from, to string, i int) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	var e struct {
		Index uint64 `json:"index"`
		Leaf  []byte `json:"leaf"`
	}
	if err := json.Unmarshal([]byte(lines[i]), &e); err != nil {
		t.Fatal(err)
	}
	e.Leaf[len(e.Leaf)-2] ^= 1
	lines[i] = fmt.Sprintf("{\"index\":%d,\"leaf\":%q}\n", e.Index, base64.StdEncoding.EncodeToString(e.Leaf))
	if err := os.WriteFile(to, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	cp, err := os.ReadFile(from + ".checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to+".checkpoint", cp, 0o600); err != nil {
		t.Fatal(err)
	}
}
