package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// columns are the events columns in the order scanner.scan reads them.
const columns = `idx, id, stream, version, type, schema_version, data, meta, recorded_at`

// The statements the store prepares once.
const (
	insertSQL = `INSERT INTO events (` + columns + `) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`
	headSQL   = `SELECT idx, recorded_at FROM events ORDER BY idx DESC LIMIT 1`
	streamSQL = `SELECT ` + columns + ` FROM events WHERE stream = ? ORDER BY version`
	logSQL    = `SELECT ` + columns + ` FROM events WHERE idx >= ? ORDER BY idx LIMIT ?`
	sizeSQL   = `SELECT coalesce(max(idx) + 1, 0) FROM events`

	savepointSQL  = `SAVEPOINT request`
	releaseSQL    = `RELEASE request`
	rollbackToSQL = `ROLLBACK TO request`
)

// statements are prepared on the writing connection (insert to rollbackTo)
// or on the reading pool (the rest).
type statements struct {
	insert, head                   *sql.Stmt
	savepoint, release, rollbackTo *sql.Stmt
	stream, log, size              *sql.Stmt
}

// prepare prepares every statement.
func prepare(ctx context.Context, w, r *sql.DB) (statements, error) {
	var s statements
	for _, p := range []struct {
		db   *sql.DB
		sql  string
		stmt **sql.Stmt
	}{
		{w, insertSQL, &s.insert}, {w, headSQL, &s.head},
		{w, savepointSQL, &s.savepoint}, {w, releaseSQL, &s.release}, {w, rollbackToSQL, &s.rollbackTo},
		{r, streamSQL, &s.stream}, {r, logSQL, &s.log}, {r, sizeSQL, &s.size},
	} {
		stmt, err := p.db.PrepareContext(ctx, p.sql)
		if err != nil {
			return s, errors.Join(fmt.Errorf("prepare %q: %w", p.sql, err), s.close())
		}
		*p.stmt = stmt
	}
	return s, nil
}

// close closes the statements that were prepared.
func (s statements) close() error {
	var errs []error
	for _, stmt := range []*sql.Stmt{s.insert, s.head, s.savepoint, s.release, s.rollbackTo, s.stream, s.log, s.size} {
		if stmt != nil {
			errs = append(errs, stmt.Close())
		}
	}
	return errors.Join(errs...)
}
