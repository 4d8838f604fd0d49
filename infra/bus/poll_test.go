package bus

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	watermillsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"

	"github.com/erasmus-ledger/ledger/infra/store/pgstore"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
)

// lagging is a message table of transactions×perTx messages, each batch
// inserted by a transaction of its own as the relay does, behind which
// consumer groups are positioned.
type lagging struct {
	db     *sql.DB
	tr     *sqlTransport
	schema pollSchema
	// positions are the (transaction_id, offset) of every message, in order.
	positions [][2]int64
}

// newLagging fills a fresh schema's message table.
func newLagging(t *testing.T, transactions, perTx int) *lagging {
	t.Helper()
	ctx := context.Background()
	b, err := pgstore.Open(ctx, pgtest.URL(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	tr, err := newSQLTransport(ctx, b, time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	l := &lagging{db: b.DB(), tr: tr, schema: newPollSchema()}
	table := l.schema.MessagesTable(Topic)
	for range transactions {
		l.exec(t, `INSERT INTO `+table+` (uuid, payload, metadata, transaction_id)
			SELECT md5(g::text), 'payload', '{}', pg_current_xact_id() FROM generate_series(1, $1) AS g`, perTx)
	}
	l.exec(t, `ANALYZE `+table)
	rows, err := l.db.QueryContext(ctx, `SELECT transaction_id::text::bigint, "offset" FROM `+table+` ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			t.Fatal(err)
		}
		l.positions = append(l.positions, p)
	}
	return l
}

func (l *lagging) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := l.db.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// at positions consumer group behind message i.
func (l *lagging) at(t *testing.T, group string, i int) {
	t.Helper()
	p := l.positions[i]
	l.exec(t, `INSERT INTO `+watermillsql.DefaultPostgreSQLOffsetsAdapter{}.MessagesOffsetsTable(Topic)+`
		(consumer_group, offset_acked, last_processed_transaction_id) VALUES ($1, $2, $3::text::xid8)
		ON CONFLICT (consumer_group) DO UPDATE SET offset_acked = excluded.offset_acked,
		last_processed_transaction_id = excluded.last_processed_transaction_id`, group, p[1], fmt.Sprint(p[0]))
}

// poll runs schema's poll query for group as the subscriber does, in a
// repeatable-read transaction it then rolls back, and returns the offsets it
// selected. It waits until the transactions that inserted the messages are
// older than every running one on the server, since only then may a poll
// return them.
func (l *lagging) poll(t *testing.T, schema watermillsql.SchemaAdapter, group string, want int) []int64 {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(50 * time.Millisecond) {
		var offsets []int64
		l.inTx(t, schema, group, "", func(rows *sql.Rows) error {
			var o int64
			var rest [4]any
			if err := rows.Scan(&o, &rest[0], &rest[1], &rest[2], &rest[3]); err != nil {
				return err
			}
			offsets = append(offsets, o)
			return nil
		})
		if len(offsets) >= want || time.Now().After(deadline) {
			return offsets
		}
	}
}

// inTx runs schema's poll query for group, prefixed by explain, in a
// rolled-back repeatable-read transaction and hands each row to each.
func (l *lagging) inTx(t *testing.T, schema watermillsql.SchemaAdapter, group, explain string, each func(*sql.Rows) error) {
	t.Helper()
	ctx := context.Background()
	q, err := schema.SelectQuery(watermillsql.SelectQueryParams{Topic: Topic, ConsumerGroup: group,
		OffsetsAdapter: watermillsql.DefaultPostgreSQLOffsetsAdapter{}})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := l.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, explain+q.Query, q.Args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestPollSelectsWhatTheDefaultQuerySelects(t *testing.T) {
	t.Parallel()
	l := newLagging(t, 5, 60)
	def := watermillsql.DefaultPostgreSQLSchema{GeneratePayloadType: func(string) string { return "BYTEA" }, SubscribeBatchSize: pollBatch}
	for _, i := range []int{0, 59, 60, 61, 150, 250, 299} {
		group := fmt.Sprint("group-", i)
		l.at(t, group, i)
		want := min(pollBatch, len(l.positions)-1-i)
		got, expected := l.poll(t, l.schema, group, want), l.poll(t, def, group, want)
		if !slices.Equal(got, expected) {
			t.Errorf("behind message %d: poll selected offsets %v, the default query %v", i, got, expected)
		}
		if len(got) != want {
			t.Errorf("behind message %d: poll selected %d messages, want %d", i, len(got), want)
		}
	}
}

func TestPollOfALaggingGroupReadsOnlyItsBatch(t *testing.T) {
	t.Parallel()
	l := newLagging(t, 20, 1000)
	l.at(t, "lagging", 500)
	l.poll(t, l.schema, "lagging", pollBatch)
	var plan []byte
	l.inTx(t, l.schema, "lagging", "EXPLAIN (ANALYZE, FORMAT JSON) ", func(rows *sql.Rows) error { return rows.Scan(&plan) })
	var root []struct{ Plan planNode }
	if err := json.Unmarshal(plan, &root); err != nil {
		t.Fatal(err)
	}
	table := `watermill_` + Topic
	if read := root[0].Plan.rowsRead(table); read > 2*pollBatch {
		t.Errorf("a poll 19,500 messages behind read %d rows of %s to return %d; want at most %d\n%s", read, table, pollBatch, 2*pollBatch, plan)
	}
}

// planNode is a node of EXPLAIN's JSON output.
type planNode struct {
	Relation string     `json:"Relation Name"`
	Rows     int        `json:"Actual Rows"`
	Loops    int        `json:"Actual Loops"`
	Removed  int        `json:"Rows Removed by Filter"`
	Plans    []planNode `json:"Plans"`
}

// rowsRead is how many rows of table the nodes under n produced or
// filtered out.
func (n planNode) rowsRead(table string) int {
	read := 0
	if n.Relation == table {
		read += n.Rows*n.Loops + n.Removed
	}
	for _, c := range n.Plans {
		read += c.rowsRead(table)
	}
	return read
}

func TestPruneDeletesWhatEveryGroupAcknowledged(t *testing.T) {
	t.Parallel()
	l := newLagging(t, 3, 50)
	prune := func(want int64) {
		t.Helper()
		if n, err := l.tr.prune(context.Background()); err != nil || n != want {
			t.Fatalf("prune = %d, %v; want %d deleted", n, err, want)
		}
	}
	prune(0) // no consumer group yet
	l.at(t, "ahead", 120)
	l.at(t, "behind", 40)
	prune(41)
	prune(0)
	var left int
	if err := l.db.QueryRow(`SELECT count(*) FROM ` + l.schema.MessagesTable(Topic)).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != len(l.positions)-41 {
		t.Errorf("%d messages left, want %d", left, len(l.positions)-41)
	}
	want := make([]int64, 0, pollBatch)
	for _, p := range l.positions[41 : 41+pollBatch] {
		want = append(want, p[1])
	}
	if got := l.poll(t, l.schema, "behind", pollBatch); !slices.Equal(got, want) {
		t.Errorf("after pruning, the group behind polled %v, want %v", got, want)
	}
}
