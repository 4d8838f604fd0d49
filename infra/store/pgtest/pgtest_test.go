package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestURL checks that each URL has a schema of its own as its current schema,
// and that the schema is gone once its test ends.
func TestURL(t *testing.T) {
	var schemas []string
	t.Run("use", func(t *testing.T) {
		a, b := URL(t), URL(t)
		for _, u := range []string{a, b} {
			schema := current(t, u)
			if !strings.HasPrefix(schema, "t_testurl_use_") {
				t.Errorf("current schema %q is not named after the test", schema)
			}
			schemas = append(schemas, schema)
		}
		if schemas[0] == schemas[1] {
			t.Errorf("two URLs share schema %s", schemas[0])
		}
	})
	conn := connect(t, baseURL())
	for _, s := range schemas {
		var exists bool
		err := conn.QueryRow(t.Context(), `SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)`, s).Scan(&exists)
		if err != nil || exists {
			t.Errorf("schema %s exists after its test (%v)", s, err)
		}
	}
}

// current is the current schema of a session opened with url.
func current(t *testing.T, url string) string {
	var schema string
	if err := connect(t, url).QueryRow(t.Context(), `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	return schema
}

// connect opens a connection that closes when t ends.
func connect(t *testing.T, url string) *pgx.Conn {
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestWithSearchPath(t *testing.T) {
	tests := []struct{ base, options string }{
		{"postgres://u:p%2Bq@h/db?sslmode=disable", "-c search_path=s1"},
		{"postgres://u:p%2Bq@h/db?sslmode=disable&options=-c%20work_mem%3D64MB", "-c work_mem=64MB -c search_path=s1"},
	}
	for _, tc := range tests {
		got, err := withSearchPath(tc.base, "s1")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(got, "+") && !strings.Contains(got, "p+q@") {
			t.Errorf("withSearchPath(%q) = %q encodes a space as +", tc.base, got)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatal(err)
		}
		q, err := url.ParseQuery(strings.ReplaceAll(u.RawQuery, "+", "%2B"))
		if err != nil {
			t.Fatal(err)
		}
		if pw, _ := u.User.Password(); pw != "p+q" || q.Get("sslmode") != "disable" || q.Get("options") != tc.options {
			t.Errorf("withSearchPath(%q) = %q; want password p+q, sslmode disable, options %q", tc.base, got, tc.options)
		}
	}
}

func TestSchemaName(t *testing.T) {
	long := strings.Repeat("VeryLongTestName/", 10)
	for _, test := range []string{"TestX", "TestX/sub case #1", long} {
		name := schemaName(test)
		if len(name) > 63 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			t.Errorf("schemaName(%q) = %q, not a short lower-case identifier", test, name)
		}
	}
	if schemaName("TestX") == schemaName("TestX") {
		t.Error("schemaName gives the same name twice")
	}
}

// fatalRecorder is a testing.TB whose Fatalf records the message and ends
// the goroutine, as the real one does.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// TestUnreachable requires a failure, not a skip, that says how to start
// PostgreSQL.
func TestUnreachable(t *testing.T) {
	t.Setenv("LEDGER_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=5")
	r := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		URL(r)
	}()
	<-done
	if !strings.Contains(r.msg, "not reachable") || !strings.Contains(r.msg, "pg_ctlcluster --skip-systemctl-redirect") {
		t.Errorf("URL failed with %q, want a message saying PostgreSQL is not reachable and how to start it", r.msg)
	}
}
