// Package bus carries committed events from the log to their consumers over
// watermill: in process over GoChannel with the embedded store, and through
// watermill-sql in the same PostgreSQL database otherwise, so that consumers
// in other processes get them and a restart loses none. A relay tails the log
// and publishes every committed event once, in log order, on Topic; each
// message carries the event's log index. The log stays authoritative:
// consumers use the index to read what they missed from the log.
package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/components/metrics"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// The topics: committed events, and the messages a consumer failed on after
// every retry.
const (
	Topic       = "ledger_events"
	PoisonTopic = "ledger_events_poison"
)

// Config is what a Bus needs. Zero fields get defaults.
type Config struct {
	Backend  store.Backend
	Registry prometheus.Registerer // nil: no metrics
	Logger   *slog.Logger          // nil: discard
	// PollInterval is how often a PostgreSQL consumer looks for new messages
	// when it found none (default 100 ms).
	PollInterval time.Duration
	// Retries is how often a consumer retries a message, backing off
	// exponentially, before the message goes to PoisonTopic (default 5).
	Retries int
}

// transport is the pub/sub behind a Bus.
type transport interface {
	// subscriber returns a subscriber for consumer group, which gets every
	// message of a topic once, whichever of its processes runs.
	subscriber(group string) (message.Subscriber, error)
	// publisher publishes outside the relay (the poison queue).
	publisher() message.Publisher
	// relay publishes, exactly once and in log order, the events committed
	// since the last call, up to limit; it returns how many it published.
	relay(ctx context.Context, log store.Log, limit int) (int, error)
	// prune deletes the kept messages that every consumer group has
	// acknowledged and returns how many.
	prune(ctx context.Context) (int64, error)
	Close() error
}

// Bus is the delivery of committed events to consumers.
type Bus struct {
	cfg       Config
	transport transport
	router    *message.Router
	closeOnce sync.Once
	closeErr  error
}

// New returns the bus for cfg.Backend: watermill-sql on PostgreSQL, GoChannel
// on SQLite.
func New(ctx context.Context, cfg Config) (*Bus, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 100 * time.Millisecond
	}
	if cfg.Retries == 0 {
		cfg.Retries = 5
	}
	logger := watermill.NewSlogLoggerWithLevelMapping(cfg.Logger, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug})
	var (
		t   transport
		err error
	)
	if cfg.Backend.Dialect() == store.Postgres {
		t, err = newSQLTransport(ctx, cfg.Backend, cfg.PollInterval, logger)
	} else {
		t = newMemoryTransport(ctx, cfg.Backend, logger)
	}
	if err != nil {
		return nil, err
	}
	router, err := newRouter(cfg, t, logger)
	if err != nil {
		return nil, errors.Join(err, t.Close())
	}
	return &Bus{cfg: cfg, transport: t, router: router}, nil
}

// newRouter returns a router whose handlers recover from panics, retry with
// exponential backoff, then set the message aside on PoisonTopic, and keep
// correlation IDs; with metrics when cfg has a registry.
func newRouter(cfg Config, t transport, logger watermill.LoggerAdapter) (*message.Router, error) {
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, logger)
	if err != nil {
		return nil, err
	}
	poison, err := middleware.PoisonQueueWithFilter(t.publisher(), PoisonTopic, func(err error) bool {
		return !errors.Is(err, context.Canceled)
	})
	if err != nil {
		return nil, err
	}
	router.AddMiddleware(middleware.CorrelationID, poison, middleware.Retry{MaxRetries: cfg.Retries,
		InitialInterval: 50 * time.Millisecond, MaxInterval: 5 * time.Second, Multiplier: 2, Logger: logger}.Middleware,
		middleware.Recoverer)
	if cfg.Registry != nil {
		metrics.NewPrometheusMetricsBuilder(cfg.Registry, "ledger", "bus").AddPrometheusRouterMetrics(router)
	}
	return router, nil
}

// Consume makes handle receive the log indexes of the committed events as
// consumer group name: every index at least once, usually in log order,
// possibly duplicated or late. The handler reads the events it needs from
// the log, so the message's payload is not decoded: every group gets every
// message, and the index is all the projections use. Call it before Run.
func (b *Bus) Consume(name string, handle func(ctx context.Context, index uint64) error) error {
	sub, err := b.transport.subscriber(name)
	if err != nil {
		return fmt.Errorf("bus: subscribe %s: %w", name, err)
	}
	b.router.AddConsumerHandler(name, Topic, sub, func(msg *message.Message) error {
		index, err := Index(msg)
		if err != nil {
			return err
		}
		return handle(msg.Context(), index)
	})
	return nil
}

// Run relays committed events and runs the consumers until ctx ends, then
// closes the bus.
func (b *Bus) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- b.router.Run(ctx) }()
	select {
	case <-b.router.Running():
	case err := <-errc:
		return errors.Join(err, b.Close())
	}
	relayed := make(chan struct{})
	go func() {
		defer close(relayed)
		b.relay(ctx)
	}()
	<-ctx.Done()
	// Closing the transport first releases a relay waiting for a
	// consumer's acknowledgement.
	err := errors.Join(b.router.Close(), <-errc, b.Close())
	<-relayed
	return err
}

// Close releases the transport; Run does it when it ends. Later calls return
// the first one's result.
func (b *Bus) Close() error {
	b.closeOnce.Do(func() { b.closeErr = b.transport.Close() })
	return b.closeErr
}
