package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/storetest"
)

// bench is this backend under the shared benchmarks: a store on a new file,
// and plain inserts into a copy of its events table on a connection of their
// own (see plainConn).
var bench = storetest.Bench[*Store]{
	Open:  func(b *testing.B, reg prometheus.Registerer) *Store { return openBench(b, Options{Registerer: reg}) },
	Plain: copyEvents,
}

func BenchmarkAppend(b *testing.B)      { bench.Append(b) }
func BenchmarkReadLog(b *testing.B)     { bench.ReadLog(b) }
func BenchmarkLoneWriter(b *testing.B)  { bench.LoneWriter(b) }
func BenchmarkManyWriters(b *testing.B) { bench.ManyWriters(b) }

// openBench opens a store on a new file for a benchmark.
func openBench(b *testing.B, opts Options) *Store {
	s, err := Open(b.Context(), b.TempDir()+"/bench.db", opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkInsertBaseline measures what SQLite does without the store, to
// compare BenchmarkAppend with: the same events as BenchmarkAppend's writers
// append, inserted and committed one at a time, and 64 (one per stream) per
// transaction, on a connection of their own (see plainConn).
func BenchmarkInsertBaseline(b *testing.B) {
	for _, rows := range []int{1, 64} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			s := openBench(b, Options{})
			db := plainConn(b, s)
			insert, err := db.PrepareContext(b.Context(), insertSQL)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { insert.Close() })
			p := plain{db, insert}
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

// copyEvents creates table plain as events is, and returns the plain inserts
// into it.
func copyEvents(b *testing.B, s *Store) storetest.Plain {
	db := plainConn(b, s)
	var ddl string
	if err := db.QueryRowContext(b.Context(), `SELECT sql FROM sqlite_schema WHERE name = 'events'`).Scan(&ddl); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(b.Context(), strings.ReplaceAll(ddl, "events", "plain")); err != nil {
		b.Fatal(err)
	}
	insert, err := db.PrepareContext(b.Context(), strings.ReplaceAll(insertSQL, "events", "plain"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { insert.Close() })
	return plain{db, insert}
}

// plainConn opens one more connection to the file of s, with SQLite's own
// automatic checkpoints (the store's writer has them off and leaves them to
// its checkpointer), so that the plain inserts pay what SQLite alone costs.
func plainConn(b *testing.B, s *Store) *sql.DB {
	var seq int
	var name, file string
	if err := s.r.QueryRowContext(b.Context(), `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		b.Fatal(err)
	}
	db, err := openDB(file, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// plain inserts with the prepared statement insert on a connection of its
// own, in transactions of their own.
type plain struct {
	db     *sql.DB
	insert *sql.Stmt
}

// InsertOne inserts e in a transaction of its own.
func (p plain) InsertOne(ctx context.Context, v int64, e store.Event) error {
	return p.inTx(ctx, func(stmt *sql.Stmt) error {
		_, err := stmt.ExecContext(ctx, v, e.ID, "plain", v+1, e.Type, 1, e.Data, `{"actor":"bench"}`, time.Now().UnixMicro())
		return err
	})
}

// InsertRows inserts the n rows one statement each, in one transaction.
func (p plain) InsertRows(ctx context.Context, idx, v int64, n int) error {
	return p.inTx(ctx, func(stmt *sql.Stmt) error {
		for k := range n {
			stream, e := storetest.BenchStreamEvent(k+1, v)
			if _, err := stmt.ExecContext(ctx, idx+int64(k), e.ID, stream, v, e.Type, 1, e.Data, `{"actor":"bench"}`, idx); err != nil {
				return err
			}
		}
		return nil
	})
}

// inTx runs do with the insert statement in a transaction, and commits unless
// do fails.
func (p plain) inTx(ctx context.Context, do func(*sql.Stmt) error) error {
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := do(tx.StmtContext(ctx, p.insert)); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}
