package bench

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"fmt"
	"sync"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/commands"
	"github.com/erasmus-ledger/ledger/infra/gen"
	"github.com/erasmus-ledger/ledger/infra/secrets"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// eventTypes are the event types of generated ledgers: the ledger's own.
func eventTypes() [][]domain.Event { return app.EventTypes() }

// streamEvents are one stream's events in stored form, in version order.
type streamEvents struct {
	Stream string
	Events []store.Event
}

// generated returns the first n events of a realistic ledger (see package
// gen) in stored form, grouped by stream, streams in the order of their
// first event. Personal data is sealed as the ledger seals it, under keys
// that live only in memory: the store sees bytes of the real size.
func generated(ctx context.Context, n int, seed int64) ([]streamEvents, error) {
	c := codec.New(newMemSealer(), eventTypes()...)
	var out []streamEvents
	at := map[string]int{}
	for _, e := range gen.Events(n, seed) {
		se, err := c.Encode(ctx, commands.NewID("ev"), e.Event, store.Metadata{Actor: "ledgerbench"})
		if err != nil {
			return nil, err
		}
		i, ok := at[e.Stream]
		if !ok {
			i, at[e.Stream] = len(out), len(out)
			out = append(out, streamEvents{Stream: e.Stream})
		}
		out[i].Events = append(out[i].Events, se)
	}
	return out, nil
}

// split deals streams into parts of about equal event counts, keeping each
// stream whole.
func split(streams []streamEvents, parts int) [][]streamEvents {
	out := make([][]streamEvents, parts)
	total := countEvents(streams)
	var seen int
	for _, s := range streams {
		p := min(seen*parts/max(total, 1), parts-1)
		out[p] = append(out[p], s)
		seen += len(s.Events)
	}
	return out
}

// countEvents is the number of events in streams.
func countEvents(streams []streamEvents) int {
	var n int
	for _, s := range streams {
		n += len(s.Events)
	}
	return n
}

// memSealer seals personal data as pii.Keyring does (AES-256-GCM under a
// key per participant, the participant ID as associated data) but keeps the
// keys in memory, for workloads that need the stored bytes and not the keys.
type memSealer struct {
	mu   sync.Mutex
	keys map[string]cipher.AEAD
}

var _ codec.Sealer = (*memSealer)(nil)

func newMemSealer() *memSealer { return &memSealer{keys: map[string]cipher.AEAD{}} }

// Seal implements codec.Sealer, creating subject's key on first use.
func (m *memSealer) Seal(_ context.Context, subject string, plaintext []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.keys[subject]
	if !ok {
		key := make([]byte, secrets.KeySize)
		rand.Read(key)
		var err error
		if a, err = secrets.NewAEAD(key); err != nil {
			return nil, err
		}
		m.keys[subject] = a
	}
	return secrets.Seal(a, plaintext, []byte(subject)), nil
}

// Open implements codec.Sealer.
func (m *memSealer) Open(_ context.Context, subject string, sealed []byte) ([]byte, bool, error) {
	m.mu.Lock()
	a, ok := m.keys[subject]
	m.mu.Unlock()
	if !ok {
		return nil, true, nil
	}
	p, err := secrets.Open(a, sealed, []byte(subject))
	if err != nil {
		return nil, false, fmt.Errorf("open personal data of %s: %w", subject, err)
	}
	return p, false, nil
}
