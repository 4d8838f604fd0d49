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
	var recs []store.Record
	if err := scanRows(ctx, s.stmts.stream, store.AppendTo(&recs), stream); err != nil {
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
	if err := scanRows(ctx, s.stmts.log, fn, int64(from), limit); err != nil {
		return fmt.Errorf("read log from %d: %w", from, err)
	}
	return nil
}

// Size implements store.Log.
func (s *Store) Size(ctx context.Context) (uint64, error) {
	var n int64
	if err := s.stmts.size.QueryRowContext(ctx).Scan(&n); err != nil {
		return 0, fmt.Errorf("read log size: %w", err)
	}
	return uint64(n), nil
}

// scanRows runs the query stmt with args and calls fn with each row, in a
// record it reuses (see store.Backend.ScanLog).
func scanRows(ctx context.Context, stmt *sql.Stmt, fn func(*store.Record) error, args ...any) error {
	rows, err := stmt.QueryContext(ctx, args...)
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

// scanner reads rows of the columns in columns into rec. The payload and the
// metadata are read as sql.RawBytes, which database/sql does not copy. The
// scan targets live in the scanner, and dest points to them, so that
// database/sql's scan allocates nothing itself.
type scanner struct {
	rec          store.Record
	data, meta   sql.RawBytes
	idx, ver, at int64
	dest         []any
}

// scan reads the current row.
func (sc *scanner) scan(rows *sql.Rows) error {
	r := &sc.rec
	if sc.dest == nil {
		sc.dest = []any{&sc.idx, &r.ID, &r.Stream, &sc.ver, &r.Type, &r.Schema, &sc.data, &sc.meta, &sc.at}
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
	r.Index, r.Version, r.RecordedAt = uint64(sc.idx), uint64(sc.ver), time.UnixMicro(sc.at).UTC()
	return nil
}
