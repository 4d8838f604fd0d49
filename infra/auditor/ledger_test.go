package auditor_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/app/apptest"
	"github.com/erasmus-ledger/ledger/infra/auditor"
	"github.com/erasmus-ledger/ledger/infra/gen"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
)

// testOrigin names the test ledgers' transparency logs, whatever port they
// listen on, so that a ledger restarted on the same database keeps its key.
const testOrigin = "ledger.example.eu/recognition"

// served is a ledger process serving on a free port.
type served struct {
	app  *app.App
	cfg  app.Config
	url  string
	stop func()
}

// config is a ledger's configuration on backend ("sqlite" or "postgres"),
// on a fresh database.
func config(t testing.TB, backend string) app.Config {
	cfg := apptest.Config(t, backend)
	cfg.LogOrigin, cfg.LogSignInterval = testOrigin, 20*time.Millisecond
	return cfg
}

// serve starts a ledger with cfg until stop is called or the test ends.
func serve(t testing.TB, cfg app.Config) *served {
	t.Helper()
	l := apptest.Start(t, cfg)
	return &served{app: l.App, cfg: l.Config, url: l.URL, stop: l.Stop}
}

// fill records n generated events of a realistic ledger (organisations,
// staff, mobilities, credentials) through the ledger's own codec.
func fill(t testing.TB, s *served, n int, seed int64) {
	t.Helper()
	ctx := context.Background()
	appends, err := gen.Encode(ctx, s.app.Codec, gen.Events(n, seed))
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.Load(ctx, s.app.Backend, appends, 32); err != nil {
		t.Fatal(err)
	}
}

// waitCheckpoint waits until the ledger has signed a checkpoint of exactly
// size entries.
func waitCheckpoint(t testing.TB, s *served, size uint64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		c, err := s.app.Transparency.Latest(context.Background())
		if err == nil && c.Size == size {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint of %d entries (latest: %d entries, %v)", size, c.Size, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// entries reads the whole log.
func entries(t testing.TB, l store.Log) []store.Record {
	t.Helper()
	recs, err := l.ReadLog(context.Background(), 0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// run audits as o says, failing the test if the audit cannot be done.
func run(t testing.TB, o auditor.Options) *auditor.Result {
	t.Helper()
	res, err := auditor.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// mustPass fails the test unless res found nothing wrong.
func mustPass(t testing.TB, res *auditor.Result) {
	t.Helper()
	if !res.OK() {
		var b strings.Builder
		res.WriteReport(&b)
		t.Fatalf("the audit failed:\n%s", b.String())
	}
}

// statePath is a state file in a fresh directory.
func statePath(t testing.TB) string { return filepath.Join(t.TempDir(), "state.json") }

// located lists the discrepancies as "kind@index" for those that say
// where, "kind" for the others.
func located(ds []audit.Discrepancy) []string {
	var out []string
	for _, d := range ds {
		if d.HasWhere {
			out = append(out, fmt.Sprintf("%s@%d", d.Kind, d.Index))
		} else {
			out = append(out, string(d.Kind))
		}
	}
	return out
}
