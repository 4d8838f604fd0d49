package bus

import (
	"context"
	"sync"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/gochannel"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// memoryTransport is GoChannel, for the embedded setup: one process, nothing
// kept across restarts. The relay starts at the head of the log; consumers
// read from the log whatever happened before.
type memoryTransport struct {
	pubsub *gochannel.GoChannel
	mu     sync.Mutex
	next   uint64 // index of the next event to publish; valid once started
	start  bool
}

func newMemoryTransport(ctx context.Context, b store.Backend, logger watermill.LoggerAdapter) *memoryTransport {
	// Publish waits for every consumer's ack, so each consumer sees the
	// events in log order and the relay never runs far ahead of them.
	ps := gochannel.NewGoChannel(gochannel.Config{OutputChannelBuffer: 64, BlockPublishUntilSubscriberAck: true}, logger)
	return &memoryTransport{pubsub: ps}
}

func (m *memoryTransport) subscriber(group string) (message.Subscriber, error) { return m.pubsub, nil }

func (m *memoryTransport) publisher() message.Publisher { return m.pubsub }

// prune has nothing to do: GoChannel keeps no message once delivered.
func (m *memoryTransport) prune(context.Context) (int64, error) { return 0, nil }

func (m *memoryTransport) relay(ctx context.Context, log store.Log, limit int) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.start {
		size, err := log.Size(ctx)
		if err != nil {
			return 0, err
		}
		m.next, m.start = size, true
	}
	recs, err := log.ReadLog(ctx, m.next, limit)
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	msgs := make([]*message.Message, len(recs))
	for i, rec := range recs {
		if msgs[i], err = toMessage(rec); err != nil {
			return 0, err
		}
	}
	if err := m.pubsub.Publish(Topic, msgs...); err != nil {
		return 0, err
	}
	m.next = recs[len(recs)-1].Index + 1
	return len(recs), nil
}

func (m *memoryTransport) Close() error { return m.pubsub.Close() }
