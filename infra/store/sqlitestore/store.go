// Package sqlitestore is the embedded event log: one SQLite file, written by
// one connection that commits queued appends together, read by a pool.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	_ "modernc.org/sqlite" // The "sqlite" database/sql driver.

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

// Options tune a Store. Zero fields get defaults: time.Now, no metrics, a
// logger that discards.
type Options struct {
	// Clock stamps recorded_at; it is read once per commit.
	Clock      func() time.Time
	Registerer prometheus.Registerer
	Logger     *slog.Logger
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Store is the event log in one SQLite file. It implements store.Backend.
type Store struct {
	clock     func() time.Time
	logger    *slog.Logger
	w         *sql.DB // The one writing connection, used by the committer only.
	r         *sql.DB // The pool behind ReadLog, ReadStream and DB.
	stmts     statements
	head      head
	hub       *groupcommit.Hub
	committer *groupcommit.Committer
	ckpt      *checkpointer // Nil until init succeeds.
	ckptDB    *sql.DB       // The checkpointer's connection.
	closeOnce sync.Once
	closeErr  error
}

var _ store.Backend = (*Store)(nil)

// Open opens (creating it if need be) the database file at path and applies
// the migrations it lacks.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	return openStore(ctx, path, opts, checkpointEvery, checkpointLimit)
}

// openStore is Open with the checkpointer's pause and WAL limit (in pages).
func openStore(ctx context.Context, path string, opts Options, ckptEvery time.Duration, ckptLimit int) (*Store, error) {
	opts = opts.withDefaults()
	w, err := openDB(path, 1, "wal_autocheckpoint(0)")
	if err != nil {
		return nil, err
	}
	s := &Store{clock: opts.Clock, logger: opts.Logger, w: w, hub: groupcommit.NewHub()}
	if err := s.init(ctx, path, opts, ckptEvery, ckptLimit); err != nil {
		return nil, errors.Join(err, s.closeDBs())
	}
	return s, nil
}

// init migrates the database and starts what Open's Store needs.
func (s *Store) init(ctx context.Context, path string, opts Options, ckptEvery time.Duration, ckptLimit int) error {
	applied, err := migrate(ctx, s.w, s.clock)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		s.logger.InfoContext(ctx, "applied migrations", "path", path, "migrations", applied)
	}
	if s.r, err = openDB(path, max(4, runtime.NumCPU())); err != nil {
		return err
	}
	if s.ckptDB, err = openDB(path, 1); err != nil {
		return err
	}
	if s.stmts, err = prepare(ctx, s.w, s.r); err != nil {
		return err
	}
	metrics, err := groupcommit.NewMetrics(opts.Registerer)
	if err != nil {
		return err
	}
	size, err := s.Size(ctx)
	if err != nil {
		return err
	}
	metrics.SetLogSize(size)
	wake, _ := s.hub.Watch() // Closed by hub.Close.
	s.ckpt = startCheckpointer(s.ckptDB, s.logger, wake, ckptEvery, ckptLimit)
	s.committer = groupcommit.Start(s.commit, s.hub, metrics)
	return nil
}

// openDB opens a pool of at most conns connections to the file at path. Every
// connection uses WAL with full fsync, waits up to 10 s for a lock, and starts
// its read-write transactions with BEGIN IMMEDIATE, so writers queue on the
// lock instead of failing when a read turns into a write. Each connection
// also runs the given pragmas, as "name(value)".
func openDB(path string, conns int, pragmas ...string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "1")
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	dsn := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// DB is the read-write pool on the same file, for the tables around the log.
// Its transactions begin IMMEDIATE (taking SQLite's one write lock at once,
// waiting up to 10 s for it) unless they are ReadOnly; keep them short, as
// appends wait for that lock too.
func (s *Store) DB() *sql.DB { return s.r }

// Dialect is store.SQLite.
func (s *Store) Dialect() store.Dialect { return store.SQLite }

// Watch implements store.Backend. The channel closes when the store closes.
func (s *Store) Watch() (<-chan struct{}, func()) { return s.hub.Watch() }

// Close waits for the commit in progress, fails queued appends, stops the
// checkpointer and closes the database (SQLite checkpoints and removes the
// WAL when its last connection closes). Later calls return the first call's
// result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.committer.Stop()
		s.hub.Close()
		s.ckpt.stop()
		s.closeErr = s.closeDBs()
	})
	return s.closeErr
}

// closeDBs closes the statements and the pools.
func (s *Store) closeDBs() error {
	errs := []error{s.stmts.close(), s.w.Close()}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.ckptDB != nil {
		errs = append(errs, s.ckptDB.Close())
	}
	return errors.Join(errs...)
}
