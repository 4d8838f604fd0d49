package projector

import (
	"context"
	"database/sql"
	"fmt"
)

// upsertSQL stores one document, replacing the one under its key.
const upsertSQL = `INSERT INTO read_models (projection, generation, key, doc) VALUES ($1, $2, $3, $4)
	ON CONFLICT (projection, generation, key) DO UPDATE SET doc = excluded.doc`

// sqliteCacheSQL sets the page cache of a connection to 256 MiB.
const sqliteCacheSQL = `PRAGMA cache_size = -262144`

// writeSQLite stores documents one statement each: SQLite runs in process, so
// a statement costs no round trip, and a prepared one no parsing.
func writeSQLite(ctx context.Context, tx *sql.Tx, name string, gen int64, keys []string, docs [][]byte) error {
	if len(keys) == 0 {
		return nil
	}
	// A bulk write touches pages all over read_models: give this connection
	// a page cache that holds them (the default is 2 MiB).
	if _, err := tx.ExecContext(ctx, sqliteCacheSQL); err != nil {
		return fmt.Errorf("projection %s: %w", name, err)
	}
	stmt, err := tx.PrepareContext(ctx, upsertSQL)
	if err != nil {
		return fmt.Errorf("projection %s: %w", name, err)
	}
	defer stmt.Close()
	for i, k := range keys {
		if _, err := stmt.ExecContext(ctx, name, gen, k, docs[i]); err != nil {
			return fmt.Errorf("projection %s: write %s: %w", name, k, err)
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
