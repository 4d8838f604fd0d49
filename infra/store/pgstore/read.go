package pgstore

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/metajson"
)

// columnList are the events columns in the order scanner.scan reads them.
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
	var recs []store.Record
	if err := s.ScanLog(ctx, from, limit, store.AppendTo(&recs)); err != nil {
		return nil, err
	}
	return recs, nil
}

// ScanLog implements store.Backend. A limit below 1 is invalid.
func (s *Store) ScanLog(ctx context.Context, from uint64, limit int, fn func(*store.Record) error) error {
	if limit < 1 {
		return domain.Invalidf("a log read needs a limit of at least 1, not %d", limit)
	}
	if from > math.MaxInt64 {
		return nil
	}
	if err := s.scan(ctx, fn, logSQL, int64(from), limit); err != nil {
		return fmt.Errorf("read log from %d: %w", from, err)
	}
	return nil
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
	var recs []store.Record
	if err := s.scan(ctx, store.AppendTo(&recs), sql, args...); err != nil {
		return nil, err
	}
	return recs, nil
}

// scan runs a query for records and calls fn with each, in a record it
// reuses (see store.Backend.ScanLog).
func (s *Store) scan(ctx context.Context, fn func(*store.Record) error, sql string, args ...any) error {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var sc scanner
	for rows.Next() {
		if err := sc.scan(rows); err != nil {
			return err
		}
		if err := fn(&sc.rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanner reads rows of columnList into rec. The payload and the metadata
// are read as pgtype.DriverBytes, which point into pgx's read buffer. The
// scan targets live in the scanner, and dest points to them, so that a row
// costs no allocation but its strings.
type scanner struct {
	rec        store.Record
	data, meta pgtype.DriverBytes
	idx, ver   int64
	schema     int32
	at         time.Time
	dest       []any
}

// scan reads the current row.
func (sc *scanner) scan(rows pgx.Rows) error {
	r := &sc.rec
	if sc.dest == nil {
		sc.dest = []any{&sc.idx, &r.ID, &r.Stream, &sc.ver, &r.Type, &sc.schema, &sc.data, &sc.meta, &sc.at}
	}
	if err := rows.Scan(sc.dest...); err != nil {
		return err
	}
	r.Meta = store.Metadata{}
	if err := metajson.Decode(sc.meta, &r.Meta); err != nil {
		return fmt.Errorf("event %s: metadata: %w", r.ID, err)
	}
	r.Data = sc.data
	if r.Data == nil {
		r.Data = []byte{}
	}
	r.Index, r.Version, r.Schema, r.RecordedAt = uint64(sc.idx), uint64(sc.ver), int(sc.schema), sc.at.UTC()
	return nil
}
