package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/pii"
	"github.com/erasmus-ledger/ledger/infra/projector"
	"github.com/erasmus-ledger/ledger/infra/secrets"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// logSelect streams the whole events table, as a plain reader would.
const logSelect = `SELECT idx, id, stream, version, type, schema_version, data, meta, recorded_at FROM events ORDER BY idx`

// runRebuild measures a rebuild of every read model from index 0 of the
// large ledger, beside a plain SELECT streaming the whole log, once before
// and once after it.
func runRebuild(ctx context.Context, e *Env) (Result, error) {
	l, err := e.largeLedger(ctx)
	if err != nil {
		return Result{}, err
	}
	b, err := e.OpenStore(ctx, l.loc, nil)
	if err != nil {
		return Result{}, err
	}
	defer b.Close()
	runner, err := l.runner(ctx, b)
	if err != nil {
		return Result{}, err
	}
	var base, subject Measure
	for _, step := range []func() error{
		func() error { m, err := streamLog(ctx, e, l.loc); base = base.Plus(m); return err },
		func() error { m, err := rebuildAll(ctx, e, runner, l.size); subject = m; return err },
		func() error { m, err := streamLog(ctx, e, l.loc); base = base.Plus(m); return err },
	} {
		if err := step(); err != nil {
			return Result{}, err
		}
	}
	return rateResult("events/s", subject, base, "a plain SELECT of every column of the events table in index order, streamed and scanned, on one connection"), nil
}

// runner returns a projector of every read model over b, the large
// ledger's store.
func (l *largeLedger) runner(ctx context.Context, b store.Backend) (*projector.Runner, error) {
	master, err := secrets.NewAEAD(l.master)
	if err != nil {
		return nil, err
	}
	c := codec.New(pii.NewKeyring(b.DB(), master), eventTypes()...)
	return projector.New(ctx, projector.Config{Backend: b, Codec: c, Projections: app.Projections()})
}

// rebuildAll rebuilds every read model, from the call to its return.
func rebuildAll(ctx context.Context, e *Env, r *projector.Runner, size int) (Measure, error) {
	e.Progress.Printf("rebuilding %v from index 0", r.Names())
	last := time.Now()
	res, err := func() (projector.Result, error) {
		return r.Rebuild(ctx, nil, func(p projector.Progress) {
			if time.Since(last) > 2*time.Second {
				last = time.Now()
				e.Progress.Printf("rebuild: %d/%d events (%s/s)", p.Position, size, number(float64(p.Position)/p.Elapsed.Seconds()))
			}
		})
	}()
	if err != nil {
		return Measure{}, fmt.Errorf("rebuild: %w", err)
	}
	if res.Events != uint64(size) {
		return Measure{}, fmt.Errorf("rebuild folded %d events of %d", res.Events, size)
	}
	e.Progress.Printf("rebuild: %d events, built in %s, old generations dropped in %s", res.Events, res.Build.Round(time.Millisecond), res.Drop.Round(time.Millisecond))
	return Measure{Ops: int(res.Events), Elapsed: res.Build + res.Drop}, nil
}

// streamLog reads every row of the events table at loc with a plain SELECT.
func streamLog(ctx context.Context, e *Env, loc Location) (Measure, error) {
	e.Progress.Printf("baseline: streaming the events table")
	var n int
	m, err := timed(0, func() (err error) {
		if e.Backend == Postgres {
			n, err = streamPostgres(ctx, loc.URL)
		} else {
			n, err = streamSQLite(ctx, loc.StorePath())
		}
		return err
	})
	m.Ops = n
	return m, err
}

// logRow holds the columns of one events row as a reader scans them.
type logRow struct {
	idx, version, schema int64
	id, stream, typ      string
	data, meta           []byte
}

// streamPostgres streams the events table on one connection of its own.
func streamPostgres(ctx context.Context, dbURL string) (int, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rows, err := conn.Query(ctx, logSelect)
	if err != nil {
		return 0, err
	}
	var r logRow
	var at time.Time
	var n int
	_, err = pgx.ForEachRow(rows, []any{&r.idx, &r.id, &r.stream, &r.version, &r.typ, &r.schema, &r.data, &r.meta, &at}, func() error {
		n++
		return nil
	})
	return n, err
}

// streamSQLite streams the events table of the file at path on one
// connection of its own.
func streamSQLite(ctx context.Context, path string) (n int, err error) {
	db, err := openSQLite(path, "FULL")
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	rows, err := db.QueryContext(ctx, logSelect)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	return scanAll(rows)
}

// scanAll scans every row of rows and counts them.
func scanAll(rows *sql.Rows) (int, error) {
	var r logRow
	var at int64
	var n int
	for rows.Next() {
		if err := rows.Scan(&r.idx, &r.id, &r.stream, &r.version, &r.typ, &r.schema, &r.data, &r.meta, &at); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
