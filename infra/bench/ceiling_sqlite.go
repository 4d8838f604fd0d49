package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"time"
)

// sqliteCeilingTable mirrors the events table of the SQLite store: the same
// columns, constraints and indexes, without the triggers.
const sqliteCeilingTable = `CREATE TABLE ` + ceilingTable + ` (
    idx            INTEGER PRIMARY KEY CHECK (idx >= 0),
    id             TEXT    NOT NULL UNIQUE,
    stream         TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    data           BLOB    NOT NULL,
    meta           TEXT    NOT NULL,
    recorded_at    INTEGER NOT NULL,
    UNIQUE (stream, version)
) STRICT`

// sqliteCeiling writes rows into the store's own file, on one connection of
// its own opened with the store's settings (WAL, full fsync).
type sqliteCeiling struct {
	db     *sql.DB
	insert *sql.Stmt
}

// openSQLiteCeiling creates the scratch table in the database file path.
func openSQLiteCeiling(ctx context.Context, path string) (*sqliteCeiling, error) {
	db, err := openSQLite(path, "FULL")
	if err != nil {
		return nil, err
	}
	c := &sqliteCeiling{db: db}
	if _, err := db.ExecContext(ctx, sqliteCeilingTable); err != nil {
		return nil, errors.Join(fmt.Errorf("create %s: %w", ceilingTable, err), db.Close())
	}
	c.insert, err = db.PrepareContext(ctx, `INSERT INTO `+ceilingTable+` VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return c, nil
}

// openSQLite opens one connection to the file at path, in WAL mode with the
// given synchronous setting, as the store opens its own.
func openSQLite(path, synchronous string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	q := url.Values{"_txlock": {"immediate"}, "_journal_mode": {"WAL"}, "_synchronous": {synchronous}, "_busy_timeout": {"10000"}}
	db, err := sql.Open("sqlite", (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}).String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func (c *sqliteCeiling) batchedName() string {
	return fmt.Sprintf("prepared INSERTs in transactions of %d rows into a scratch copy of the events table (same file, WAL, full fsync)", ceilingBatch)
}

func (c *sqliteCeiling) singleName() string {
	return "one prepared INSERT and commit per event into a scratch copy of the events table (same file, WAL, full fsync)"
}

// batched inserts each batch in one transaction.
func (c *sqliteCeiling) batched(ctx context.Context, rows []row) (Measure, error) {
	return timed(len(rows), func() error {
		for _, b := range batches(rows, ceilingBatch) {
			if err := c.insertTx(ctx, b); err != nil {
				return fmt.Errorf("insert into %s: %w", ceilingTable, err)
			}
		}
		return nil
	})
}

func (c *sqliteCeiling) insertTx(ctx context.Context, rows []row) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	stmt := tx.StmtContext(ctx, c.insert)
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, r.sqliteValues(time.Now())...); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	return tx.Commit()
}

// single inserts each row in a transaction of its own.
func (c *sqliteCeiling) single(ctx context.Context, rows []row, until time.Time) (Measure, error) {
	return driveUntil(ctx, 1, nil, until, oneByOne(rows, func(ctx context.Context, r row) error {
		_, err := c.insert.ExecContext(ctx, r.sqliteValues(time.Now())...)
		return err
	}))
}

func (c *sqliteCeiling) close() error { return errors.Join(c.insert.Close(), c.db.Close()) }

// sqliteValues are r's columns as the SQLite store binds them, recorded at t.
func (r row) sqliteValues(t time.Time) []any {
	return []any{r.idx, r.id, r.stream, r.version, r.typ, r.schema, r.data, r.meta, t.UnixMicro()}
}
