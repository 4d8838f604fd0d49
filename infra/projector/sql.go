package projector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// sqlDB is the database around the log, where read models live. Its SQL is
// shared by both dialects except where noted.
type sqlDB struct {
	db      *sql.DB
	dialect store.Dialect
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// lock returns the row-locking clause for a read of projection_state inside a
// transaction: PostgreSQL locks rows; SQLite's transactions hold the
// database's write lock from their start, which serialises them anyway.
func (d sqlDB) lock(exclusive bool) string {
	switch {
	case d.dialect != store.Postgres:
		return ""
	case exclusive:
		return " FOR UPDATE"
	}
	return " FOR SHARE"
}

// ensure records projection name's state unless it exists: generation 1,
// live, empty, at position 0.
func (d sqlDB) ensure(ctx context.Context, name string) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO projection_state (projection, live_generation)
			VALUES ($1, 1) ON CONFLICT (projection) DO NOTHING`, name); err != nil {
			return fmt.Errorf("projection %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO projection_positions (projection, generation, position)
			VALUES ($1, 1, 0) ON CONFLICT (projection, generation) DO NOTHING`, name); err != nil {
			return fmt.Errorf("projection %s: %w", name, err)
		}
		return nil
	})
}

// live returns projection name's live generation and its position.
func (d sqlDB) live(ctx context.Context, q querier, name string) (gen int64, pos uint64, err error) {
	var p int64
	err = q.QueryRowContext(ctx, `SELECT s.live_generation, p.position FROM projection_state s
		JOIN projection_positions p ON p.projection = s.projection AND p.generation = s.live_generation
		WHERE s.projection = $1`, name).Scan(&gen, &p)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, fmt.Errorf("projection %s has no state", name)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("projection %s: read state: %w", name, err)
	}
	return gen, uint64(p), nil
}

// liveGeneration reads, locking it, which generation of name is live.
func (d sqlDB) liveGeneration(ctx context.Context, tx *sql.Tx, name string, exclusive bool) (int64, error) {
	var gen int64
	err := tx.QueryRowContext(ctx, `SELECT live_generation FROM projection_state WHERE projection = $1`+d.lock(exclusive), name).Scan(&gen)
	if err != nil {
		return 0, fmt.Errorf("projection %s: read live generation: %w", name, err)
	}
	return gen, nil
}

// advance moves generation gen of name from position from to to, and fails
// with errStale unless it was at from: another writer got there first.
func (d sqlDB) advance(ctx context.Context, tx *sql.Tx, name string, gen int64, from, to uint64) error {
	res, err := tx.ExecContext(ctx, `UPDATE projection_positions SET position = $4
		WHERE projection = $1 AND generation = $2 AND position = $3`, name, gen, int64(from), int64(to))
	if err != nil {
		return fmt.Errorf("projection %s: advance generation %d: %w", name, gen, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(errStale, err)
	}
	return nil
}

// errStale reports that a generation's position or the live generation
// changed under a writer, which must reload and fold again.
var errStale = errors.New("read model changed by another writer")

// load returns the document under key in generation gen of name.
func (d sqlDB) load(ctx context.Context, name string, gen int64, key string) ([]byte, bool, error) {
	var doc []byte
	err := d.db.QueryRowContext(ctx, `SELECT doc FROM read_models WHERE projection = $1 AND generation = $2 AND key = $3`,
		name, gen, key).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("projection %s: load %s: %w", name, key, err)
	}
	return doc, true, nil
}

// write stores b in generation gen of name, within tx, which runs on conn.
func (d sqlDB) write(ctx context.Context, conn *sql.Conn, tx *sql.Tx, name string, gen int64, b docBatch) error {
	if d.dialect == store.Postgres {
		return writePostgres(ctx, conn, tx, name, gen, b)
	}
	return writeSQLite(ctx, tx, name, gen, b)
}

// inTx runs f in a transaction, committing if it succeeds.
func (d sqlDB) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	return d.inConnTx(ctx, func(_ *sql.Conn, tx *sql.Tx) error { return f(tx) })
}

// inConnTx runs f in a transaction on a connection of its own, committing if
// it succeeds. f may use conn directly, within the transaction, as long as it
// does not use tx meanwhile.
func (d sqlDB) inConnTx(ctx context.Context, f func(conn *sql.Conn, tx *sql.Tx) error) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := f(conn, tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
