package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/erasmus-ledger/ledger/infra/store/internal/migration"
)

// migrations are the schema's SQL files. Numbers are reserved by owner:
// 001–009 the event log, 010–019 credentials, 020–029 the transparency log,
// 030–039 projections, 040–049 other infrastructure (keys, idempotency).
//
//go:embed migrations/*.sql
var migrations embed.FS

// The statements that keep track of applied migrations.
const (
	migrationLockSQL    = `SELECT pg_advisory_xact_lock($1)`
	createMigrationsSQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
	appliedSQL = `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`
	recordSQL  = `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`
)

// Migrate applies to the current schema of the database at url the
// migrations it lacks and returns their names, for `ledger migrate`.
func Migrate(ctx context.Context, url string) (applied []string, err error) {
	pool, err := newPool(ctx, url, 2, nil)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	schema, err := currentSchema(ctx, pool)
	if err != nil {
		return nil, err
	}
	return migrate(ctx, pool, schema)
}

// migrate applies the missing migrations in version order, each in its own
// transaction that first takes the schema's migration lock, so processes
// starting together apply each migration once.
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string) ([]string, error) {
	files, err := migration.Load(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	key := lockKey("migrate", schema)
	var applied []string
	for _, f := range files {
		done, err := apply(ctx, pool, key, f)
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", f.Name, err)
		}
		if done {
			applied = append(applied, f.Name)
		}
	}
	return applied, nil
}

// apply applies f unless it was applied before; it reports whether it did.
func apply(ctx context.Context, pool *pgxpool.Pool, key int64, f migration.File) (bool, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return false, err
	}
	done, err := applyIn(ctx, tx, key, f)
	if err != nil || !done {
		return false, errors.Join(err, tx.Rollback(ctx))
	}
	return true, tx.Commit(ctx)
}

// applyIn applies f in tx unless schema_migrations lists it.
func applyIn(ctx context.Context, tx pgx.Tx, key int64, f migration.File) (bool, error) {
	if _, err := tx.Exec(ctx, migrationLockSQL, key); err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, createMigrationsSQL); err != nil {
		return false, err
	}
	var exists bool
	if err := tx.QueryRow(ctx, appliedSQL, f.Version).Scan(&exists); err != nil || exists {
		return false, err
	}
	if _, err := tx.Exec(ctx, f.SQL); err != nil {
		return false, err
	}
	_, err := tx.Exec(ctx, recordSQL, f.Version, f.Name)
	return err == nil, err
}
