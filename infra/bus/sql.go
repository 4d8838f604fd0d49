package bus

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	watermillsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/message"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// sqlTransport is watermill-sql on the ledger's own PostgreSQL database:
// messages are rows, consumer groups keep their offsets in tables, so
// consumers in any process get every message once and survive restarts. The
// relay inserts messages in the transaction that advances its position in
// bus_relay, so each event is published exactly once.
type sqlTransport struct {
	db     *sql.DB
	schema pollSchema
	poll   time.Duration
	logger watermill.LoggerAdapter
	pub    *watermillsql.Publisher
}

func newSQLTransport(ctx context.Context, b store.Backend, poll time.Duration, logger watermill.LoggerAdapter) (*sqlTransport, error) {
	t := &sqlTransport{db: b.DB(), schema: newPollSchema(), poll: poll, logger: logger}
	pub, err := watermillsql.NewPublisher(watermillsql.BeginnerFromStdSQL(t.db),
		watermillsql.PublisherConfig{SchemaAdapter: t.schema, AutoInitializeSchema: true}, logger)
	if err != nil {
		return nil, fmt.Errorf("bus: %w", err)
	}
	t.pub = pub
	if err := startRelay(ctx, t.db, b); err != nil {
		return nil, err
	}
	// A subscriber creates the tables of a topic; the relay's publisher
	// works inside a transaction, where watermill may not create them.
	sub, err := t.subscriber("init")
	if err != nil {
		return nil, err
	}
	for _, topic := range []string{Topic, PoisonTopic} {
		if err := sub.(message.SubscribeInitializer).SubscribeInitialize(topic); err != nil {
			return nil, errors.Join(fmt.Errorf("bus: create tables of %s: %w", topic, err), sub.Close())
		}
	}
	return t, sub.Close()
}

func (t *sqlTransport) subscriber(group string) (message.Subscriber, error) {
	return watermillsql.NewSubscriber(watermillsql.BeginnerFromStdSQL(t.db), watermillsql.SubscriberConfig{
		ConsumerGroup: group, SchemaAdapter: t.schema, OffsetsAdapter: watermillsql.DefaultPostgreSQLOffsetsAdapter{},
		PollInterval: t.poll, InitializeSchema: true,
	}, t.logger)
}

func (t *sqlTransport) publisher() message.Publisher { return t.pub }

func (t *sqlTransport) relay(ctx context.Context, log store.Log, limit int) (n int, err error) {
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("bus: relay: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	var next int64
	if err := tx.QueryRowContext(ctx, `SELECT position FROM bus_relay WHERE topic = $1 FOR UPDATE`, Topic).Scan(&next); err != nil {
		return 0, fmt.Errorf("bus: relay: %w", err)
	}
	recs, err := log.ReadLog(ctx, uint64(next), limit)
	if err != nil || len(recs) == 0 {
		return 0, errors.Join(err, tx.Rollback())
	}
	if err := t.publish(tx, recs); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE bus_relay SET position = $2 WHERE topic = $1`, Topic, int64(recs[len(recs)-1].Index+1)); err != nil {
		return 0, fmt.Errorf("bus: relay: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("bus: relay: %w", err)
	}
	return len(recs), nil
}

// startRelay records where the relay starts unless it has started before:
// at the head of the log, since consumers read from the log whatever
// happened before.
func startRelay(ctx context.Context, db *sql.DB, log store.Log) error {
	size, err := log.Size(ctx)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO bus_relay (topic, position) VALUES ($1, $2) ON CONFLICT (topic) DO NOTHING`,
		Topic, int64(size)); err != nil {
		return fmt.Errorf("bus: start relay: %w", err)
	}
	return nil
}

// publish inserts the messages for recs within tx.
func (t *sqlTransport) publish(tx *sql.Tx, recs []store.Record) error {
	pub, err := watermillsql.NewPublisher(watermillsql.TxFromStdSQL(tx), watermillsql.PublisherConfig{SchemaAdapter: t.schema}, t.logger)
	if err != nil {
		return fmt.Errorf("bus: relay: %w", err)
	}
	msgs := make([]*message.Message, len(recs))
	for i, rec := range recs {
		if msgs[i], err = toMessage(rec); err != nil {
			return err
		}
	}
	if err := pub.Publish(Topic, msgs...); err != nil {
		return fmt.Errorf("bus: relay: publish %d events: %w", len(recs), err)
	}
	return nil
}

func (t *sqlTransport) Close() error { return t.pub.Close() }
