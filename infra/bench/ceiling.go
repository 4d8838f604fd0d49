package bench

import (
	"context"
	"encoding/json"
	"iter"
	"time"
)

// ceilingBatch is the number of rows the batched ceiling writes per
// transaction: large enough that the commit's flush is a small share of it.
const ceilingBatch = 1000

// ceilingTable is the scratch table the ceilings write to: a copy of the
// events table's columns, constraints and indexes, without the log around it.
const ceilingTable = "ceiling_events"

// ceiling writes the same rows as the store would, by the plainest and
// fastest means the database offers, into a scratch table: what the ledger
// is measured against.
type ceiling interface {
	// batched writes rows in transactions of ceilingBatch rows each.
	batched(ctx context.Context, rows []row) (Measure, error)
	// single writes rows one by one, one transaction each, starting none
	// after until.
	single(ctx context.Context, rows []row, until time.Time) (Measure, error)
	// names say what batched and single do, for the report.
	batchedName() string
	singleName() string
	close() error
}

// row is one event as the events table stores it.
type row struct {
	idx     int64
	id      string
	stream  string
	version int64
	typ     string
	schema  int32
	data    []byte
	meta    string
}

// rowsOf lays out the events of streams as rows, stream after stream, with
// log indexes from first on.
func rowsOf(streams []streamEvents, first int64) ([]row, error) {
	var out []row
	for _, s := range streams {
		for v, e := range s.Events {
			meta, err := json.Marshal(e.Meta)
			if err != nil {
				return nil, err
			}
			out = append(out, row{idx: first + int64(len(out)), id: e.ID, stream: s.Stream, version: int64(v) + 1,
				typ: e.Type, schema: int32(e.Schema), data: e.Data, meta: string(meta)})
		}
	}
	return out, nil
}

// oneByOne yields, for the lone worker of drive, one op per row.
func oneByOne(rows []row, write func(ctx context.Context, r row) error) func(int) iter.Seq[Op] {
	return func(int) iter.Seq[Op] {
		return func(yield func(Op) bool) {
			for _, r := range rows {
				if !yield(func(ctx context.Context) error { return write(ctx, r) }) {
					return
				}
			}
		}
	}
}

// batches splits rows into batches of at most n.
func batches(rows []row, n int) [][]row {
	var out [][]row
	for len(rows) > 0 {
		k := min(n, len(rows))
		out = append(out, rows[:k])
		rows = rows[k:]
	}
	return out
}
