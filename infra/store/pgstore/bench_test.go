package pgstore

import (
	"context"
	"fmt"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/storetest"
)

// bench is this backend under the shared benchmarks: a store in a new schema
// of the test database, and plain INSERTs into a copy of its events table.
var bench = storetest.Bench[*Store]{
	Open: func(b *testing.B, reg prometheus.Registerer) *Store { return open(b, Options{Registerer: reg}) },
	Plain: func(b *testing.B, s *Store) storetest.Plain {
		if _, err := s.pool.Exec(b.Context(), `CREATE TABLE plain (LIKE events INCLUDING ALL)`); err != nil {
			b.Fatal(err)
		}
		return plain{s, "plain"}
	},
}

func BenchmarkAppend(b *testing.B)      { bench.Append(b) }
func BenchmarkReadLog(b *testing.B)     { bench.ReadLog(b) }
func BenchmarkLoneWriter(b *testing.B)  { bench.LoneWriter(b) }
func BenchmarkManyWriters(b *testing.B) { bench.ManyWriters(b) }

// BenchmarkInsertBaseline measures what PostgreSQL does without the store,
// to compare BenchmarkAppend with: the same events as BenchmarkAppend's
// writers append, one per INSERT and commit, and 64 (one per stream) per
// INSERT and commit, from one connection.
func BenchmarkInsertBaseline(b *testing.B) {
	for _, rows := range []int{1, 64} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			p := plain{open(b, Options{}), "events"}
			var idx int64
			for v := int64(1); b.Loop(); v++ {
				if err := p.InsertRows(b.Context(), idx, v, rows); err != nil {
					b.Fatal(err)
				}
				idx += int64(rows)
			}
			b.ReportMetric(float64(idx)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// plain inserts into table of s with plain INSERT statements, each its own
// transaction.
type plain struct {
	s     *Store
	table string
}

// InsertOne inserts e with a single-row INSERT.
func (p plain) InsertOne(ctx context.Context, v int64, e store.Event) error {
	_, err := p.s.pool.Exec(ctx, `INSERT INTO `+p.table+` (idx, id, stream, version, type, schema_version, data, meta, recorded_at)
		VALUES ($1::bigint, $2, 'plain', $1::bigint + 1, $3, 1, $4, '{"actor":"bench"}', clock_timestamp())`, v, e.ID, e.Type, e.Data)
	return err
}

// InsertRows inserts the n rows in one INSERT … SELECT FROM unnest(…).
func (p plain) InsertRows(ctx context.Context, idx, v int64, n int) error {
	c := columns{}
	for k := range n {
		stream, e := storetest.BenchStreamEvent(k+1, v)
		c.ids, c.streams, c.types = append(c.ids, e.ID), append(c.streams, stream), append(c.types, e.Type)
		c.metas, c.schemas, c.versions = append(c.metas, `{"actor":"bench"}`), append(c.schemas, 1), append(c.versions, v)
		c.data = append(c.data, e.Data)
	}
	_, err := p.s.pool.Exec(ctx, `INSERT INTO `+p.table+` (idx, id, stream, version, type, schema_version, data, meta, recorded_at)
		SELECT $1 + ord - 1, id, stream, version, type, schema_version, data, meta, clock_timestamp()
		FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::integer[], $7::bytea[], $8::text[])
			WITH ORDINALITY AS i (id, stream, version, type, schema_version, data, meta, ord)`,
		idx, c.ids, c.streams, c.versions, c.types, c.schemas, c.data, c.metas)
	return err
}
