package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgCeiling writes rows on one connection of its own, in the same schema and
// with the same durability as the store.
type pgCeiling struct{ conn *pgx.Conn }

// ceilingColumns are the scratch table's columns in row order.
var ceilingColumns = []string{"idx", "id", "stream", "version", "type", "schema_version", "data", "meta", "recorded_at"}

// openPGCeiling creates the scratch table beside the events table of the
// store at loc, which must exist.
func openPGCeiling(ctx context.Context, loc Location) (*pgCeiling, error) {
	conn, err := pgx.Connect(ctx, loc.URL)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	_, err = conn.Exec(ctx, `CREATE TABLE `+ceilingTable+` (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`)
	if err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("create %s: %w", ceilingTable, err)
	}
	return &pgCeiling{conn: conn}, nil
}

func (c *pgCeiling) batchedName() string {
	return fmt.Sprintf("COPY of %d-row batches, a commit each, into a scratch copy of the events table (same indexes)", ceilingBatch)
}

func (c *pgCeiling) singleName() string {
	return "one prepared single-row INSERT and commit per event into a scratch copy of the events table"
}

// batched COPYs each batch, which PostgreSQL runs as one transaction.
func (c *pgCeiling) batched(ctx context.Context, rows []row) (Measure, error) {
	return timed(len(rows), func() error {
		for _, b := range batches(rows, ceilingBatch) {
			src := pgx.CopyFromSlice(len(b), func(i int) ([]any, error) { return b[i].values(time.Now()), nil })
			if _, err := c.conn.CopyFrom(ctx, pgx.Identifier{ceilingTable}, ceilingColumns, src); err != nil {
				return fmt.Errorf("copy into %s: %w", ceilingTable, err)
			}
		}
		return nil
	})
}

// single INSERTs each row in a transaction of its own.
func (c *pgCeiling) single(ctx context.Context, rows []row, until time.Time) (Measure, error) {
	const insert = `INSERT INTO ` + ceilingTable + ` (idx, id, stream, version, type, schema_version, data, meta, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	return driveUntil(ctx, 1, nil, until, oneByOne(rows, func(ctx context.Context, r row) error {
		_, err := c.conn.Exec(ctx, insert, r.values(time.Now())...)
		return err
	}))
}

func (c *pgCeiling) close() error { return c.conn.Close(context.Background()) }

// values are r's columns in the order of ceilingColumns, recorded at t.
func (r row) values(t time.Time) []any {
	return []any{r.idx, r.id, r.stream, r.version, r.typ, r.schema, r.data, r.meta, t}
}
