package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/metajson"
)

// ReadStream implements store.Log.
func (s *Store) ReadStream(ctx context.Context, stream string) ([]store.Record, error) {
	rows, err := s.stmts.stream.QueryContext(ctx, stream)
	if err != nil {
		return nil, fmt.Errorf("read stream %s: %w", stream, err)
	}
	recs, err := scanRecords(rows)
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
	rows, err := s.stmts.log.QueryContext(ctx, int64(from), limit)
	if err != nil {
		return nil, fmt.Errorf("read log from %d: %w", from, err)
	}
	recs, err := scanRecords(rows)
	if err != nil {
		return nil, fmt.Errorf("read log from %d: %w", from, err)
	}
	return recs, nil
}

// Size implements store.Log.
func (s *Store) Size(ctx context.Context) (uint64, error) {
	var n int64
	if err := s.stmts.size.QueryRowContext(ctx).Scan(&n); err != nil {
		return 0, fmt.Errorf("read log size: %w", err)
	}
	return uint64(n), nil
}

// scanRecords reads and closes rows of the columns in columns.
func scanRecords(rows *sql.Rows) (recs []store.Record, err error) {
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, rows.Err()
}

// scanRecord reads the current row.
func scanRecord(rows *sql.Rows) (store.Record, error) {
	var (
		r            store.Record
		idx, ver, at int64
		meta         string
	)
	if err := rows.Scan(&idx, &r.ID, &r.Stream, &ver, &r.Type, &r.Schema, &r.Data, &meta, &at); err != nil {
		return r, err
	}
	if err := metajson.Decode([]byte(meta), &r.Meta); err != nil {
		return r, fmt.Errorf("event %s: metadata: %w", r.ID, err)
	}
	if r.Data == nil {
		r.Data = []byte{}
	}
	r.Index, r.Version, r.RecordedAt = uint64(idx), uint64(ver), time.UnixMicro(at).UTC()
	return r, nil
}
