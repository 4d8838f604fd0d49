package bus

import (
	"context"
	"fmt"

	watermillsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
)

// pruneSQL deletes the messages of a topic up to the position of the
// consumer group furthest behind, in (transaction_id, offset) order, the
// order consumers read in. With no group yet it deletes nothing.
const pruneSQL = `WITH slowest AS (
    SELECT last_processed_transaction_id AS tx, offset_acked AS "offset" FROM %s
    ORDER BY last_processed_transaction_id, offset_acked LIMIT 1)
DELETE FROM %s WHERE (transaction_id, "offset") <= ((SELECT tx FROM slowest), (SELECT "offset" FROM slowest))`

// prune deletes the messages every consumer group has acknowledged. No
// consumer reads them again and the log keeps their events, while the
// relay would otherwise keep a second copy of the whole log. A group that
// no process runs any more holds pruning back until its row is deleted
// from the offsets table.
func (t *sqlTransport) prune(ctx context.Context) (int64, error) {
	offsets := watermillsql.DefaultPostgreSQLOffsetsAdapter{}.MessagesOffsetsTable(Topic)
	res, err := t.db.ExecContext(ctx, fmt.Sprintf(pruneSQL, offsets, t.schema.MessagesTable(Topic)))
	if err != nil {
		return 0, fmt.Errorf("bus: prune: %w", err)
	}
	return res.RowsAffected()
}
