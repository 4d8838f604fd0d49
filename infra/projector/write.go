package projector

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// sqliteCacheSQL sets the page cache of a connection to 256 MiB.
const sqliteCacheSQL = `PRAGMA cache_size = -262144`

// sqliteRows is how many documents one SQLite statement writes. The driver
// looks each parameter up by name, in time growing with their number, so a
// statement carries tens of rows rather than thousands.
const sqliteRows = 50

// upsertRowsSQL returns an upsert of n documents, whose keys and documents
// are parameters 3 and up, two by two.
func upsertRowsSQL(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO read_models (projection, generation, key, doc) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "($1, $2, $%d, $%d)", 2*i+3, 2*i+4)
	}
	b.WriteString(` ON CONFLICT (projection, generation, key) DO UPDATE SET doc = excluded.doc`)
	return b.String()
}

// writeSQLite stores documents sqliteRows to a prepared statement: SQLite
// runs in process, so a statement costs no round trip, but each execution
// costs the driver's binding and bookkeeping, which many rows share.
func writeSQLite(ctx context.Context, tx *sql.Tx, name string, gen int64, keys []string, docs [][]byte) error {
	if len(keys) == 0 {
		return nil
	}
	// A bulk write touches pages all over read_models: give this connection
	// a page cache that holds them (the default is 2 MiB).
	if _, err := tx.ExecContext(ctx, sqliteCacheSQL); err != nil {
		return fmt.Errorf("projection %s: %w", name, err)
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, 2+2*sqliteRows)
	for start := 0; start < len(keys); start += sqliteRows {
		end := min(start+sqliteRows, len(keys))
		args = append(args[:0], name, gen)
		for i := start; i < end; i++ {
			args = append(args, keys[i], docs[i])
		}
		var err error
		switch {
		case end-start < sqliteRows:
			_, err = tx.ExecContext(ctx, upsertRowsSQL(end-start), args...)
		case full == nil:
			if full, err = tx.PrepareContext(ctx, upsertRowsSQL(sqliteRows)); err == nil {
				_, err = full.ExecContext(ctx, args...)
			}
		default:
			_, err = full.ExecContext(ctx, args...)
		}
		if err != nil {
			return fmt.Errorf("projection %s: write %d documents from %s: %w", name, end-start, keys[start], err)
		}
	}
	return nil
}

// pgChunk is how many documents one PostgreSQL statement writes.
const pgChunk = 5_000

// upsertManySQL stores many documents in one round trip, the keys and
// documents passed as two arrays.
const upsertManySQL = `INSERT INTO read_models (projection, generation, key, doc)
	SELECT $1, $2, k, d FROM unnest($3::text[], $4::bytea[]) AS t(k, d)
	ON CONFLICT (projection, generation, key) DO UPDATE SET doc = excluded.doc`

// writePostgres stores documents pgChunk at a time.
func writePostgres(ctx context.Context, tx *sql.Tx, name string, gen int64, keys []string, docs [][]byte) error {
	for start := 0; start < len(keys); start += pgChunk {
		end := min(start+pgChunk, len(keys))
		if _, err := tx.ExecContext(ctx, upsertManySQL, name, gen, keys[start:end], docs[start:end]); err != nil {
			return fmt.Errorf("projection %s: write %d documents: %w", name, end-start, err)
		}
	}
	return nil
}
