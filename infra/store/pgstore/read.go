package pgstore

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/metajson"
)

// columnList are the events columns in the order scanRecord reads them.
const columnList = `idx, id, stream, version, type, schema_version, data, meta, recorded_at`

// The read statements; pgx prepares each once per connection.
const (
	streamSQL = `SELECT ` + columnList + ` FROM events WHERE stream = $1 ORDER BY version`
	logSQL    = `SELECT ` + columnList + ` FROM events WHERE idx >= $1 ORDER BY idx LIMIT $2`
	sizeSQL   = `SELECT coalesce(max(idx) + 1, 0) FROM events`
)

// ReadStream implements store.Log.
func (s *Store) ReadStream(ctx context.Context, stream string) ([]store.Record, error) {
	recs, err := s.streams.read(ctx, stream)
	if err != nil {
		return nil, fmt.Errorf("read stream %s: %w", stream, err)
	}
	return recs, nil
}

// ReadLog implements store.Log. A limit below 1 is invalid.
func (s *Store) ReadLog(ctx context.Context, from uint64, limit int) ([]store.Record, error) {
	if limit < 1 {
		return nil, domain.Invalidf("a log read needs a limit of at least 1, not %d", limit)
	}
	if from > math.MaxInt64 {
		return nil, nil
	}
	recs, err := s.query(ctx, logSQL, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("read log from %d: %w", from, err)
	}
	return recs, nil
}

// Size implements store.Log.
func (s *Store) Size(ctx context.Context) (uint64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, sizeSQL).Scan(&n); err != nil {
		return 0, fmt.Errorf("read log size: %w", err)
	}
	return uint64(n), nil
}

// query runs a query for records.
func (s *Store) query(ctx context.Context, sql string, args ...any) ([]store.Record, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	recs, err := pgx.CollectRows(rows, scanRecord)
	if len(recs) == 0 {
		recs = nil
	}
	return recs, err
}

// scanRecord reads the current row of columnList.
func scanRecord(row pgx.CollectableRow) (store.Record, error) {
	var (
		r        store.Record
		idx, ver int64
		schema   int32
		meta     string
		at       time.Time
	)
	if err := row.Scan(&idx, &r.ID, &r.Stream, &ver, &r.Type, &schema, &r.Data, &meta, &at); err != nil {
		return r, err
	}
	if err := metajson.Decode([]byte(meta), &r.Meta); err != nil {
		return r, fmt.Errorf("event %s: metadata: %w", r.ID, err)
	}
	if r.Data == nil {
		r.Data = []byte{}
	}
	r.Index, r.Version, r.Schema, r.RecordedAt = uint64(idx), uint64(ver), int(schema), at.UTC()
	return r, nil
}
