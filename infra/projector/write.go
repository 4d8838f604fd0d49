package projector

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// sqliteCacheSQL sets the page cache of a connection to 256 MiB.
const sqliteCacheSQL = `PRAGMA cache_size = -262144`

// sqliteRows is how many documents one SQLite statement writes. The driver
// looks each parameter up by name, in time growing with their number, so a
// statement carries tens of rows rather than thousands.
const sqliteRows = 50

// upsertClause makes an insert of documents replace those stored under the
// same keys.
const upsertClause = ` ON CONFLICT (projection, generation, key) DO UPDATE SET doc = excluded.doc`

// insertRowsSQL returns an insert of n documents, whose keys and documents
// are parameters 3 and up, two by two, ending with conflict.
func insertRowsSQL(n int, conflict string) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO read_models (projection, generation, key, doc) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "($1, $2, $%d, $%d)", 2*i+3, 2*i+4)
	}
	b.WriteString(conflict)
	return b.String()
}

// writeSQLite stores b, inserting its fresh documents and upserting the
// others: no conflict check is cheaper than one that finds nothing.
func writeSQLite(ctx context.Context, tx *sql.Tx, name string, gen int64, b docBatch) error {
	if len(b.keys) == 0 {
		return nil
	}
	// A bulk write touches pages all over read_models: give this connection
	// a page cache that holds them (the default is 2 MiB).
	if _, err := tx.ExecContext(ctx, sqliteCacheSQL); err != nil {
		return fmt.Errorf("projection %s: %w", name, err)
	}
	if err := writeSQLiteRows(ctx, tx, name, gen, b.keys[:b.fresh], b.docs[:b.fresh], ""); err != nil {
		return err
	}
	return writeSQLiteRows(ctx, tx, name, gen, b.keys[b.fresh:], b.docs[b.fresh:], upsertClause)
}

// writeSQLiteRows inserts documents sqliteRows to a prepared statement:
// SQLite runs in process, so a statement costs no round trip, but each
// execution costs the driver's binding and bookkeeping, which many rows share.
func writeSQLiteRows(ctx context.Context, tx *sql.Tx, name string, gen int64, keys []string, docs [][]byte, conflict string) error {
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
			_, err = tx.ExecContext(ctx, insertRowsSQL(end-start, conflict), args...)
		case full == nil:
			if full, err = tx.PrepareContext(ctx, insertRowsSQL(sqliteRows, conflict)); err == nil {
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

// pgChunk is how many documents one PostgreSQL upsert writes.
const pgChunk = 5_000

// upsertManySQL stores many documents in one round trip, the keys and
// documents passed as two arrays.
const upsertManySQL = `INSERT INTO read_models (projection, generation, key, doc)
	SELECT $1, $2, k, d FROM unnest($3::text[], $4::bytea[]) AS t(k, d)` + upsertClause

// writePostgres stores b within tx, which runs on conn: its fresh documents
// with COPY, which is about twice as fast as an upsert of the same rows, the
// others pgChunk at a time.
func writePostgres(ctx context.Context, conn *sql.Conn, tx *sql.Tx, name string, gen int64, b docBatch) error {
	if err := copyPostgres(ctx, conn, name, gen, b.keys[:b.fresh], b.docs[:b.fresh]); err != nil {
		return err
	}
	for start := b.fresh; start < len(b.keys); start += pgChunk {
		end := min(start+pgChunk, len(b.keys))
		if _, err := tx.ExecContext(ctx, upsertManySQL, name, gen, b.keys[start:end], b.docs[start:end]); err != nil {
			return fmt.Errorf("projection %s: write %d documents: %w", name, end-start, err)
		}
	}
	return nil
}

// readModelColumns are the columns copyPostgres fills.
var readModelColumns = []string{"projection", "generation", "key", "doc"}

// copyPostgres copies documents into read_models on conn, within the
// transaction open on it. There must be none stored under their keys.
func copyPostgres(ctx context.Context, conn *sql.Conn, name string, gen int64, keys []string, docs [][]byte) error {
	if len(keys) == 0 {
		return nil
	}
	rows := pgx.CopyFromSlice(len(keys), func(i int) ([]any, error) {
		return []any{name, gen, keys[i], docs[i]}, nil
	})
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("a PostgreSQL connection is a %T, not a pgx one", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{"read_models"}, readModelColumns, rows)
		return err
	})
	if err != nil {
		return fmt.Errorf("projection %s: copy %d documents: %w", name, len(keys), err)
	}
	return nil
}
