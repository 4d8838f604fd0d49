package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/erasmus-ledger/ledger/infra/bench"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
)

// tiny are sizes that exercise every code path of the harness in seconds.
var tiny = bench.Sizes{Writers: 4, AppendEvents: 200, SingleEvents: 20, Commands: 30, LedgerEvents: 3000, Requests: 40, Rounds: 2}

// withBaseline are the scenarios that measure beside a baseline.
var withBaseline = []string{"append", "append-1", "rebuild", "audit", "verify-id", "verify-presented"}

// withLatency are the scenarios that report latency percentiles.
var withLatency = []string{"append", "append-1", "command", "verify-id", "verify-presented"}

func TestRunReportsEveryScenarioOnEveryBackend(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.URL(t)
	rep, err := bench.Run(t.Context(), bench.Config{DatabaseURL: dbURL, Sizes: tiny, Seed: 7, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rep.Results), len(bench.Scenarios())*len(bench.Backends); got != want {
		t.Fatalf("%d results, want %d (every scenario on every backend): %+v", got, want, rep.Results)
	}
	for i, r := range rep.Results {
		s, b := bench.Scenarios()[i/len(bench.Backends)], bench.Backends[i%len(bench.Backends)]
		if r.Scenario != s.Name || r.Backend != b {
			t.Errorf("row %d is %s/%s, want %s/%s", i, r.Scenario, r.Backend, s.Name, b)
		}
		checkRow(t, r)
	}
	checkTable(t, rep)
	checkJSON(t, rep)
	checkNoSchemaLeft(t, dbURL, rep.ID)
}

// checkRow checks that a result row is complete for its status.
func checkRow(t *testing.T, r bench.Result) {
	t.Helper()
	switch r.Status {
	case bench.Error:
		t.Errorf("%s/%s broke: %s", r.Scenario, r.Backend, r.Detail)
	case bench.NotRun:
		if r.Detail == "" || r.Figure != 0 {
			t.Errorf("%s/%s not run with reason %q and figure %g", r.Scenario, r.Backend, r.Detail, r.Figure)
		}
	case bench.Pass, bench.Fail:
		checkFigures(t, r)
	default:
		t.Errorf("%s/%s has status %q", r.Scenario, r.Backend, r.Status)
	}
}

// checkFigures checks the figures of a scenario that ran.
func checkFigures(t *testing.T, r bench.Result) {
	t.Helper()
	if r.Figure <= 0 || r.Ops <= 0 || r.Unit == "" {
		t.Errorf("%s/%s: figure %g %q over %d ops", r.Scenario, r.Backend, r.Figure, r.Unit, r.Ops)
	}
	if slices.Contains(withBaseline, r.Scenario) && (r.Baseline <= 0 || r.BaselineName == "" || r.Ratio() <= 0) {
		t.Errorf("%s/%s: baseline %g (%q)", r.Scenario, r.Backend, r.Baseline, r.BaselineName)
	}
	if slices.Contains(withLatency, r.Scenario) && (r.P50 <= 0 || r.P99 < r.P50) {
		t.Errorf("%s/%s: p50 %s, p99 %s", r.Scenario, r.Backend, r.P50, r.P99)
	}
	if (r.Status == bench.Fail) != (r.Detail != "") {
		t.Errorf("%s/%s: status %s with detail %q", r.Scenario, r.Backend, r.Status, r.Detail)
	}
}

// checkTable checks that the table has its header and a line per result,
// each with its scenario, backend and status.
func checkTable(t *testing.T, rep bench.Report) {
	t.Helper()
	var out bytes.Buffer
	if err := rep.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	if got := strings.Fields(lines[0]); !slices.Equal(got, bench.Columns) {
		t.Errorf("header %q, want %q", got, bench.Columns)
	}
	for i, r := range rep.Results {
		f := strings.Fields(lines[i+1])
		if len(f) < 3 || f[0] != r.Scenario || f[1] != r.Backend || !strings.Contains(lines[i+1], string(r.Status)) {
			t.Errorf("table line %d = %q, for %s/%s %s", i+1, lines[i+1], r.Scenario, r.Backend, r.Status)
		}
	}
}

// checkJSON checks that the JSON report holds the same rows.
func checkJSON(t *testing.T, rep bench.Report) {
	t.Helper()
	var out bytes.Buffer
	if err := rep.WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID      string
		Results []struct {
			Scenario, Backend, Status string
			Figure                    *float64
		}
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, out.String())
	}
	if got.ID != rep.ID || len(got.Results) != len(rep.Results) {
		t.Fatalf("JSON report has ID %q and %d results, want %q and %d", got.ID, len(got.Results), rep.ID, len(rep.Results))
	}
	for i, r := range rep.Results {
		j := got.Results[i]
		ran := r.Status == bench.Pass || r.Status == bench.Fail
		if j.Scenario != r.Scenario || j.Backend != r.Backend || j.Status != string(r.Status) || (j.Figure != nil) != ran {
			t.Errorf("JSON result %d = %+v, want %s/%s %s", i, j, r.Scenario, r.Backend, r.Status)
		}
	}
}

// checkNoSchemaLeft checks that the run with ID id dropped its schemas.
func checkNoSchemaLeft(t *testing.T, dbURL, id string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	err = conn.QueryRow(t.Context(), `SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE $1`,
		bench.SchemaPrefix+id+"%").Scan(&n)
	if err != nil || n != 0 {
		t.Errorf("%d schemas of run %s left (%v)", n, id, err)
	}
}

func TestRunCleansUpWhenInterrupted(t *testing.T) {
	t.Parallel()
	dbURL, tmp := pgtest.URL(t), t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// The run is interrupted once it has created a database and is
	// measuring in it.
	w := &cancelOn{cancel: cancel, line: "baseline"}
	rep, err := bench.Run(ctx, bench.Config{DatabaseURL: dbURL, Sizes: tiny, Scenarios: []string{"append-1", "command"},
		Backends: []string{bench.Postgres}, TempDir: tmp, Progress: w})
	if err != context.Canceled {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	if len(rep.Results) != 0 {
		t.Errorf("an interrupted scenario has results: %+v", rep.Results)
	}
	checkNoSchemaLeft(t, dbURL, rep.ID)
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// cancelOn is a progress writer that calls cancel on the first line
// containing line.
type cancelOn struct {
	once   sync.Once
	cancel func()
	line   string
}

func (c *cancelOn) Write(b []byte) (int, error) {
	if strings.Contains(string(b), c.line) {
		c.once.Do(c.cancel)
	}
	return len(b), nil
}

func TestRunRefusesUnknownNames(t *testing.T) {
	t.Parallel()
	for _, cfg := range []bench.Config{
		{Scenarios: []string{"append", "no-such-scenario"}},
		{Backends: []string{"mysql"}},
	} {
		if _, err := bench.Run(t.Context(), cfg); err == nil || !strings.Contains(err.Error(), "unknown") {
			t.Errorf("Run(%+v) = %v, want an unknown-name error", cfg, err)
		}
	}
}
