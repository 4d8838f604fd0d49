package bus

import (
	"fmt"

	watermillsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
)

// pollBatch is how many messages one poll of a consumer group fetches.
const pollBatch = 100

// pollSchema is watermill-sql's PostgreSQL schema with a poll query that an
// index answers however far a consumer group lags behind.
//
// The default query asks for the messages after the group's acknowledged
// (transaction_id, offset) as "transaction_id = T AND offset > O OR
// transaction_id > T". No index bound expresses that OR, so PostgreSQL either
// fetches every message after T and sorts them for the LIMIT, or walks the
// primary key from its start filtering rows out: a poll by a group 170,000
// messages behind read all of them (380 ms) to return 100. pollSchema asks
// for the same rows as the row comparison (transaction_id, offset) > (T, O),
// which is a bound on the primary key (transaction_id, offset): the index
// scan starts at the group's position and stops after the batch.
type pollSchema struct {
	watermillsql.DefaultPostgreSQLSchema
}

// newPollSchema stores payloads as bytes, since they are opaque to the
// database.
func newPollSchema() pollSchema {
	return pollSchema{watermillsql.DefaultPostgreSQLSchema{
		GeneratePayloadType: func(string) string { return "BYTEA" },
		SubscribeBatchSize:  pollBatch,
	}}
}

// SelectQuery implements watermillsql.SchemaAdapter. Like the default, it
// returns only messages of transactions older than every one still running
// (pg_snapshot_xmin), so a message committed late never slips behind a
// group's position.
func (s pollSchema) SelectQuery(params watermillsql.SelectQueryParams) (watermillsql.Query, error) {
	next, err := params.OffsetsAdapter.NextOffsetQuery(watermillsql.NextOffsetQueryParams{
		Topic: params.Topic, ConsumerGroup: params.ConsumerGroup})
	if err != nil {
		return watermillsql.Query{}, err
	}
	q := `WITH last_processed AS (` + next.Query + `)
SELECT "offset", transaction_id, uuid, payload, metadata FROM ` + s.MessagesTable(params.Topic) + `
WHERE (transaction_id, "offset") > ((SELECT last_processed_transaction_id FROM last_processed), (SELECT offset_acked FROM last_processed))
    AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY transaction_id, "offset"
LIMIT ` + fmt.Sprint(pollBatch)
	return watermillsql.Query{Query: q, Args: next.Args}, nil
}
