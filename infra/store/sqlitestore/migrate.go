package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store/internal/migration"
)

// migrations are the schema's SQL files. Numbers are reserved by owner:
// 001–009 the event log, 010–019 credentials, 020–029 the transparency log,
// 030–039 projections, 040–049 other infrastructure (keys, idempotency).
//
//go:embed migrations/*.sql
var migrations embed.FS

// Migrate applies to the database file at path the migrations it lacks and
// returns their names, for `ledger migrate`.
func Migrate(ctx context.Context, path string) (applied []string, err error) {
	db, err := openDB(path, 1)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	return migrate(ctx, db, time.Now)
}

// migrate applies the missing migrations in version order, each in its own
// BEGIN IMMEDIATE transaction, which also keeps another process from applying
// the same one at the same time.
func migrate(ctx context.Context, db *sql.DB, clock func() time.Time) ([]string, error) {
	files, err := migration.Load(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, f := range files {
		done, err := apply(ctx, db, f, clock)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, f.Name)
		}
	}
	return applied, nil
}

// apply applies f unless it was applied before; it reports whether it did.
func apply(ctx context.Context, db *sql.DB, f migration.File, clock func() time.Time) (bool, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migration %s: %w", f.Name, err)
	}
	done, err := applyIn(ctx, tx, f, clock)
	if err != nil || !done {
		return false, errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %s: %w", f.Name, err)
	}
	return true, nil
}

// applyIn applies f in tx unless schema_migrations lists it.
func applyIn(ctx context.Context, tx *sql.Tx, f migration.File, clock func() time.Time) (bool, error) {
	if _, err := tx.ExecContext(ctx, createMigrationsSQL); err != nil {
		return false, fmt.Errorf("migration %s: %w", f.Name, err)
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, appliedSQL, f.Version).Scan(&exists); err != nil || exists {
		return false, wrapErr(f, err)
	}
	if _, err := tx.ExecContext(ctx, f.SQL); err != nil {
		return false, fmt.Errorf("migration %s: %w", f.Name, err)
	}
	if _, err := tx.ExecContext(ctx, recordSQL, f.Version, f.Name, clock().UnixMicro()); err != nil {
		return false, fmt.Errorf("migration %s: %w", f.Name, err)
	}
	return true, nil
}

// The statements that keep track of applied migrations; applied_at is in
// Unix microseconds.
const (
	createMigrationsSQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`
	appliedSQL = `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)`
	recordSQL  = `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`
)

// wrapErr names f in err, if there is one.
func wrapErr(f migration.File, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("migration %s: %w", f.Name, err)
}
