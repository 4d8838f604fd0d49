package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func runCapture(t *testing.T, env []string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, env, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestHelpListsEveryCommand(t *testing.T) {
	out, _, err := runCapture(t, nil, "help")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		if !strings.Contains(out, c.name) || !strings.Contains(out, c.summary) {
			t.Errorf("help lacks %s", c.name)
		}
		_, usage, err := runCapture(t, nil, c.name, "-h")
		if err != nil || !strings.Contains(usage, "Usage: ledger "+c.name) {
			t.Errorf("%s -h: %v %q", c.name, err, usage)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"frobnicate"},
		{"token", "--data", dir},
		{"token", "--data", dir, "--role", "admin", "--ttl", "forever"},
		{"serve", "--no-such-flag"},
		{"migrate", "--data", dir, "extra"},
	} {
		_, _, err := runCapture(t, nil, args...)
		var u usageError
		if !errors.As(err, &u) || exitCode(err) != 2 {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

func TestTokenReadsFlagsFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runCapture(t, []string{"LEDGER_DATA=" + dir, "LEDGER_ROLE=issuer", "LEDGER_ORG=E10208051"}, "token")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(strings.TrimSpace(out), ".") != 2 {
		t.Fatalf("token output %q is not a JWT", out)
	}
	if _, _, err := runCapture(t, []string{"LEDGER_DATA=" + dir}, "token", "--role", "issuer", "--org", "bad"); err == nil {
		t.Fatal("minted an issuer token with a malformed OID")
	}
	out, _, err = runCapture(t, nil, "migrate", "--data", dir)
	if err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %v %q", err, out)
	}
}
