// Package pgstore is the event log on PostgreSQL. Appends are serialised by
// an advisory lock so log indexes are gapless and in commit order, and
// concurrent appends share one transaction sent in one round trip.
package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"maps"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

// Options tune a Store. Zero fields get defaults: no metrics, a logger that
// discards, pgxpool's default pool size.
type Options struct {
	Registerer prometheus.Registerer
	Logger     *slog.Logger
	// MaxConns bounds the pool shared by the log and DB.
	MaxConns int32
}

// Store is the event log in one PostgreSQL schema (the URL's current schema).
// It implements store.Backend.
type Store struct {
	pool      *pgxpool.Pool // Reads and DB.
	writer    *pgxpool.Pool // The committer's one connection.
	db        *sql.DB
	logger    *slog.Logger
	appendKey int64 // The advisory lock that serialises appends.
	known     knownVersions
	hub       *groupcommit.Hub
	committer *groupcommit.Committer
	streams   streamReader
	closeOnce sync.Once
}

var _ store.Backend = (*Store)(nil)

// writerParams are the settings of the committer's session: appends rely on
// READ COMMITTED (each statement sees what committed before it took the
// lock), and plan their statements once for all batch sizes.
var writerParams = map[string]string{
	"default_transaction_isolation": "read committed",
	"plan_cache_mode":               "force_generic_plan",
}

// Open connects to the database at url and applies the migrations it lacks.
// Besides the pool for reads and DB, which MaxConns bounds, the store keeps
// one connection of its own for appends.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	pool, err := newPool(ctx, url, opts.MaxConns, nil)
	if err != nil {
		return nil, err
	}
	s := &Store{pool: pool, db: stdlib.OpenDBFromPool(pool), logger: opts.Logger, hub: groupcommit.NewHub()}
	s.streams = streamReader{query: s.query, limit: maxStreamReads}
	if s.writer, err = newPool(ctx, url, 1, writerParams); err != nil {
		s.closeDBs()
		return nil, err
	}
	if err := s.init(ctx, opts.Registerer); err != nil {
		s.closeDBs()
		return nil, err
	}
	return s, nil
}

// init migrates the schema and starts the committer.
func (s *Store) init(ctx context.Context, reg prometheus.Registerer) error {
	schema, err := currentSchema(ctx, s.pool)
	if err != nil {
		return err
	}
	applied, err := migrate(ctx, s.pool, schema)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		s.logger.InfoContext(ctx, "applied migrations", "schema", schema, "migrations", applied)
	}
	s.appendKey = lockKey("append", schema)
	metrics, err := groupcommit.NewMetrics(reg)
	if err != nil {
		return err
	}
	size, err := s.Size(ctx)
	if err != nil {
		return err
	}
	metrics.SetLogSize(size)
	s.committer = groupcommit.Start(s.commit, s.hub, metrics)
	return nil
}

// newPool connects a pool of at most maxConns connections (pgxpool's default
// if 0) to url, with the session settings params.
func newPool(ctx context.Context, url string, maxConns int32, params map[string]string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	if _, set := cfg.ConnConfig.RuntimeParams["jit"]; !set {
		// The ledger's queries are short index lookups and scans; JIT
		// compilation only pays for long analytic queries, and it cost
		// 20–26 ms a query whenever a poor estimate crossed
		// jit_above_cost. The database URL may still turn it on.
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	maps.Copy(cfg.ConnConfig.RuntimeParams, params)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return pool, nil
}

// currentSchema is the schema that unqualified names resolve to.
func currentSchema(ctx context.Context, pool *pgxpool.Pool) (string, error) {
	var schema *string
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	if schema == nil {
		return "", errors.New("no schema of the search_path exists")
	}
	return *schema, nil
}

// lockKey is the advisory lock key for purpose in schema, so stores in
// different schemas of one database do not wait for each other.
func lockKey(purpose, schema string) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "erasmus-ledger/%s/%s", purpose, schema)
	return int64(h.Sum64())
}

// DB is the store's pool as *sql.DB, for the tables around the log.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect is store.Postgres.
func (s *Store) Dialect() store.Dialect { return store.Postgres }

// Watch implements store.Backend. The channel closes when the store closes.
func (s *Store) Watch() (<-chan struct{}, func()) { return s.hub.Watch() }

// Close waits for the commit in progress, fails queued appends and closes
// the pool. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.committer.Stop()
		s.hub.Close()
		s.closeDBs()
	})
	return nil
}

// closeDBs closes DB and then the pools, which wait for borrowed connections.
func (s *Store) closeDBs() {
	_ = s.db.Close() // Closing a pool-backed DB only releases its connections; it cannot fail.
	s.pool.Close()
	if s.writer != nil {
		s.writer.Close()
	}
}
