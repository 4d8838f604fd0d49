// Package pgtest gives each test its own PostgreSQL schema, so tests that use
// the database run in parallel without seeing each other's tables.
package pgtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the database used when LEDGER_TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// startHint says how to start the local PostgreSQL cluster.
const startHint = "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"

// URL creates a new schema, named after t, in the database named by
// LEDGER_TEST_DATABASE_URL (default DefaultURL) and returns a connection URL
// whose sessions use that schema (search_path, set through the URL's options
// parameter). The schema and all it holds are dropped when t ends; close
// whatever uses it in an earlier cleanup. URL fails t, never skips it, when
// PostgreSQL cannot be reached.
func URL(t testing.TB) string {
	t.Helper()
	base := baseURL()
	schema := schemaName(t.Name())
	exec(t, base, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
	t.Cleanup(func() { exec(t, base, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE") })
	u, err := withSearchPath(base, schema)
	if err != nil {
		t.Fatalf("pgtest: LEDGER_TEST_DATABASE_URL: %v", err)
	}
	return u
}

// baseURL is the database the schemas are made in.
func baseURL() string {
	if u := os.Getenv("LEDGER_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// exec runs one statement on a connection of its own.
func exec(t testing.TB, base, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("pgtest: PostgreSQL is not reachable at %s (%v); %s", redact(base), err, startHint)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("pgtest: %s: %v", sql, err)
	}
}

// nonIdent is what may not appear in a schema name made from a test name.
var nonIdent = regexp.MustCompile(`[^a-z0-9]+`)

// schemaName is a new schema name that starts with the test's name, for
// whoever looks at the database while tests run, and ends with random hex.
// It stays within PostgreSQL's 63-byte identifiers.
func schemaName(test string) string {
	name := strings.Trim(nonIdent.ReplaceAllString(strings.ToLower(test), "_"), "_")
	if len(name) > 40 {
		name = name[len(name)-40:]
	}
	return fmt.Sprintf("t_%s_%s", name, strings.ToLower(rand.Text()[:12]))
}

// withSearchPath adds "-c search_path=schema" to the options of the URL base.
func withSearchPath(base, schema string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("options", strings.TrimSpace(q.Get("options")+" -c search_path="+schema))
	// Encode writes spaces as "+", which is a space only in HTML forms;
	// connection URLs need "%20". A "+" of the values is already "%2B".
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	return u.String(), nil
}

// redact hides a password in a URL.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
