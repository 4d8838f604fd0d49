package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

// lockSQL serialises appends. It is the first statement of every append's
// transaction, so the log head that insertSQL reads is the latest committed.
const lockSQL = `SELECT pg_advisory_xact_lock($1)`

// insertSQL inserts the events given as parallel arrays ($1–$7), in array
// order, at the log indexes after the last one, all with one time that is
// never earlier than the last event's. It inserts nothing unless the log
// holds every (stream, version) pair of $8–$9: the versions that appends
// which do not follow an earlier one of the same insert expect, so that no
// stream gets a gap. A stale version fails on the (stream, version) unique
// constraint.
const insertSQL = `
WITH last AS (SELECT idx, recorded_at FROM events ORDER BY idx DESC LIMIT 1),
head AS (SELECT coalesce((SELECT idx FROM last), -1) AS idx,
    greatest(clock_timestamp(), (SELECT recorded_at FROM last)) AS at)
INSERT INTO events (idx, id, stream, version, type, schema_version, data, meta, recorded_at)
SELECT head.idx + i.ord, i.id, i.stream, i.version, i.type, i.schema_version, i.data, i.meta, head.at
FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::integer[], $6::bytea[], $7::text[])
        WITH ORDINALITY AS i (id, stream, version, type, schema_version, data, meta, ord)
    CROSS JOIN head
WHERE NOT EXISTS (
    SELECT FROM unnest($8::text[], $9::bigint[]) AS p (stream, version)
    WHERE NOT EXISTS (SELECT FROM events e WHERE e.stream = p.stream AND e.version = p.version))
RETURNING idx, recorded_at`

// insertOneSQL is insertSQL for a single event ($1–$7), cheaper than the
// arrays: if $8, it inserts it only if the log holds the version before it.
const insertOneSQL = `
WITH last AS (SELECT idx, recorded_at FROM events ORDER BY idx DESC LIMIT 1)
INSERT INTO events (idx, id, stream, version, type, schema_version, data, meta, recorded_at)
SELECT coalesce((SELECT idx FROM last), -1) + 1, $1, $2, $3::bigint, $4, $5::integer, $6::bytea, $7,
    greatest(clock_timestamp(), (SELECT recorded_at FROM last))
WHERE NOT $8::boolean OR EXISTS (SELECT FROM events e WHERE e.stream = $2 AND e.version = $3::bigint - 1)
RETURNING idx, recorded_at`

// errGap reports that an insert stored nothing because an append expected a
// version its stream has not reached.
var errGap = errors.New("an expected version is ahead of its stream")

// insert sends the lock and the insert of reqs' events as one batch, which
// PostgreSQL runs as one implicit transaction. It returns the first index and
// the time the events got, or errGap if it stored nothing.
func (s *Store) insert(ctx context.Context, reqs []*groupcommit.Request) (first uint64, at time.Time, err error) {
	b := &pgx.Batch{}
	b.Queue(lockSQL, s.appendKey)
	n, err := queueInsert(b, reqs, &s.known)
	if err != nil {
		return 0, time.Time{}, err
	}
	br := s.writer.SendBatch(ctx, b)
	defer func() { err = errors.Join(err, br.Close()) }()
	if _, err := br.Exec(); err != nil {
		return 0, time.Time{}, err
	}
	return readInserted(br, n)
}

// queueInsert queues the insert of reqs' events on b and returns how many
// there are: a lone event with insertOneSQL, more with insertSQL. The log is
// asked for no version that known has.
func queueInsert(b *pgx.Batch, reqs []*groupcommit.Request, known *knownVersions) (int, error) {
	if r := reqs[0]; len(reqs) == 1 && len(r.Events) == 1 {
		e := r.Events[0]
		meta, err := json.Marshal(e.Meta)
		if err != nil {
			return 0, fmt.Errorf("event %s: metadata: %w", e.ID, err)
		}
		b.Queue(insertOneSQL, e.ID, r.Stream, int64(r.Expected)+1, e.Type, int32(e.Schema), nonNil(e.Data), string(meta),
			!known.has(r.Stream, r.Expected))
		return 1, nil
	}
	c, err := columnsOf(reqs, known)
	if err != nil {
		return 0, err
	}
	b.Queue(insertSQL, c.ids, c.streams, c.versions, c.types, c.schemas, c.data, c.metas, c.needStreams, c.needVersions)
	return len(c.ids), nil
}

// readInserted reads the indexes and time of the n events the insert stored.
func readInserted(br pgx.BatchResults, n int) (first uint64, at time.Time, err error) {
	rows, err := br.Query()
	if err != nil {
		return 0, time.Time{}, err
	}
	var count int
	var idx int64
	first = ^uint64(0)
	_, err = pgx.ForEachRow(rows, []any{&idx, &at}, func() error {
		count++
		first = min(first, uint64(idx))
		return nil
	})
	switch {
	case err != nil:
		return 0, time.Time{}, err
	case count == 0:
		return 0, time.Time{}, errGap
	case count != n:
		return 0, time.Time{}, fmt.Errorf("inserted %d events of %d", count, n)
	}
	return first, at.UTC(), nil
}

// columns are a batch's events as the parallel arrays insertSQL takes, and
// the (stream, version) pairs the log must already hold.
type columns struct {
	ids, streams, types, metas []string
	versions                   []int64
	schemas                    []int32
	data                       [][]byte
	needStreams                []string
	needVersions               []int64
}

// columnsOf lays out the events of reqs in order. An append that expects the
// version an earlier append of reqs leaves its stream at, or one that known
// has, needs nothing from the log; any other expected version must be there.
func columnsOf(reqs []*groupcommit.Request, known *knownVersions) (columns, error) {
	c := newColumns(reqs)
	leaves := make(map[string]uint64, len(reqs))
	for _, r := range reqs {
		if v, ok := leaves[r.Stream]; !known.has(r.Stream, r.Expected) && (!ok || v != r.Expected) {
			c.needStreams, c.needVersions = append(c.needStreams, r.Stream), append(c.needVersions, int64(r.Expected))
		}
		leaves[r.Stream] = r.Expected + uint64(len(r.Events))
		if err := c.add(r); err != nil {
			return c, err
		}
	}
	return c, nil
}

// newColumns returns empty arrays with room for the events of reqs.
func newColumns(reqs []*groupcommit.Request) columns {
	var n int
	for _, r := range reqs {
		n += len(r.Events)
	}
	return columns{
		ids: make([]string, 0, n), streams: make([]string, 0, n), types: make([]string, 0, n),
		metas: make([]string, 0, n), versions: make([]int64, 0, n), schemas: make([]int32, 0, n),
		data: make([][]byte, 0, n),
	}
}

// add appends r's events to the arrays.
func (c *columns) add(r *groupcommit.Request) error {
	for i, e := range r.Events {
		meta, err := json.Marshal(e.Meta)
		if err != nil {
			return fmt.Errorf("event %s: metadata: %w", e.ID, err)
		}
		c.ids, c.streams, c.types = append(c.ids, e.ID), append(c.streams, r.Stream), append(c.types, e.Type)
		c.metas, c.schemas = append(c.metas, string(meta)), append(c.schemas, int32(e.Schema))
		c.versions = append(c.versions, int64(r.Expected)+1+int64(i))
		c.data = append(c.data, nonNil(e.Data))
	}
	return nil
}

// nonNil stores a nil payload as an empty one.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
