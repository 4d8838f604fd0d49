package bench

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/pgstore"
	"github.com/erasmus-ledger/ledger/infra/store/sqlitestore"
)

// The backends a scenario runs against.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// Backends lists every backend, in the order they run.
var Backends = []string{Postgres, SQLite}

// Env is where scenarios run on one backend: it creates empty databases
// (PostgreSQL schemas, or SQLite directories) and removes them at the end.
type Env struct {
	Backend  string
	Sizes    Sizes
	Seed     int64
	Progress *Progress
	baseURL  string  // the PostgreSQL database that holds the schemas
	tmp      string  // the run's temporary directory
	bin      *binary // the ledger command, shared by every backend
	// stalled cancels the running scenario: a phase made no progress.
	stalled func(label string, after time.Duration)
	// inProcess serves the large ledger in this process, not by `ledger serve`.
	inProcess bool
	// schemaPrefix starts the name of every schema the run creates.
	schemaPrefix string
	databases    atomic.Int64 // databases created so far
	cleanups     *cleanups
	fixtures     map[string]any // built once per backend, shared by scenarios
}

// Location is an empty database: a PostgreSQL URL whose sessions use a schema
// of their own, or a SQLite data directory.
type Location struct {
	URL string // PostgreSQL only
	Dir string // a directory of the run's own; the SQLite store's data directory
}

// StorePath is the SQLite store's file in l.Dir.
func (l Location) StorePath() string { return filepath.Join(l.Dir, "ledger.db") }

// Database creates an empty database named after name. It is dropped when
// the run ends.
func (e *Env) Database(ctx context.Context, name string) (Location, error) {
	dir, err := os.MkdirTemp(e.tmp, name+"-")
	if err != nil {
		return Location{}, err
	}
	loc := Location{Dir: dir}
	if e.Backend != Postgres {
		return loc, nil
	}
	schema := fmt.Sprintf("%s_%s_%d", e.schemaPrefix, strings.ReplaceAll(name, "-", "_"), e.databases.Add(1))
	if err := execOnce(ctx, e.baseURL, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return Location{}, fmt.Errorf("create schema %s: %w", schema, err)
	}
	e.cleanups.add(func(ctx context.Context) error {
		return execOnce(ctx, e.baseURL, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
	})
	loc.URL, err = withOptions(e.baseURL, "-c search_path="+schema)
	return loc, err
}

// OpenStore opens the event log in loc with the backend's production
// settings, and closes it when the run ends if the caller has not.
func (e *Env) OpenStore(ctx context.Context, loc Location, reg prometheus.Registerer) (store.Backend, error) {
	var b store.Backend
	var err error
	if e.Backend == Postgres {
		b, err = pgstore.Open(ctx, loc.URL, pgstore.Options{Registerer: reg})
	} else {
		b, err = sqlitestore.Open(ctx, loc.StorePath(), sqlitestore.Options{Registerer: reg})
	}
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", e.Backend, err)
	}
	e.cleanups.add(func(context.Context) error { return b.Close() })
	return b, nil
}

// stallAfter is how long a counted phase may make no progress before its
// scenario is stopped as stuck.
const stallAfter = 2 * time.Minute

// count starts counting a phase of the running scenario; the scenario is
// stopped if the phase makes no progress for stallAfter.
func (e *Env) count(label string, total int) *Counter {
	return e.Progress.count(label, total, e.stalled, stallAfter)
}

// fixture returns the fixture named key, building it with build on first use.
func fixture[T any](e *Env, key string, build func() (T, error)) (T, error) {
	if f, ok := e.fixtures[key]; ok {
		return f.(T), nil
	}
	f, err := build()
	if err == nil {
		e.fixtures[key] = f
	}
	return f, err
}

// execOnce runs one statement on a connection of its own.
func execOnce(ctx context.Context, dbURL, sql string) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL at %s: %w", redact(dbURL), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

// withOptions adds PostgreSQL run-time options ("-c name=value …") to the
// options parameter of dbURL.
func withOptions(dbURL, options string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", fmt.Errorf("database URL: %w", err)
	}
	q := u.Query()
	q.Set("options", strings.TrimSpace(q.Get("options")+" "+options))
	// Encode writes a space as "+", which only HTML forms read as a space.
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	return u.String(), nil
}

// redact hides a password in a database URL.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// cleanups are undo actions, run last-in first-out when the run ends.
type cleanups struct {
	mu  sync.Mutex
	fns []func(context.Context) error
}

func (c *cleanups) add(f func(context.Context) error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fns = append(c.fns, f)
}

// run runs every cleanup, newest first, each at most once, with a context
// of its own so that they also run after the run's context was cancelled.
func (c *cleanups) run() error {
	c.mu.Lock()
	fns := c.fns
	c.fns = nil
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var errs []error
	for i := len(fns) - 1; i >= 0; i-- {
		errs = append(errs, fns[i](ctx))
	}
	return errors.Join(errs...)
}
