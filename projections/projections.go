// Package projections holds the ledger's read models. Each read model is a
// deterministic fold of log events into JSON documents, in a sub-package of its
// own; this package defines what a fold sees and an in-memory document set.
//
// A fold never does I/O of its own: it reads and writes documents only through
// Docs, which the runner (infra/projector) backs with a database and the
// time-travel reader backs with memory. The same fold therefore serves the live
// read model, a rebuild from index 0, and "as recorded at T".
package projections

import (
	"context"
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Event is a committed event as a fold sees it: its place in the log, its
// stream, when the log recorded it, and the decoded event with personal data
// left sealed (so empty).
type Event struct {
	Index      uint64
	Stream     string
	RecordedAt time.Time
	Data       domain.Event
}

// Docs is a projection's documents during a fold. Get returns the document
// stored under key as a pointer the fold may change, or nil if there is none;
// Put stores doc under key. A fold must Put every document it changes: a change
// made through a pointer alone may be lost.
type Docs interface {
	Get(ctx context.Context, key string) (any, error)
	Put(key string, doc any)
}

// Projection is a read model: a deterministic fold of log events into
// documents. Given the same events in log order, Apply yields the same
// documents, byte for byte once marshalled to JSON.
type Projection interface {
	// Name is the read model's stable name, as stored and as given to
	// `ledger rebuild`.
	Name() string
	// Types are the event types the fold reads; the runner skips the others
	// without decoding them.
	Types() []string
	// New returns a new, empty document of the kind stored under key, for
	// decoding; it fails for a key the projection never writes.
	New(key string) (any, error)
	// Apply folds e into docs.
	Apply(ctx context.Context, docs Docs, e Event) error
}

// Get returns the document under key as a *T, or nil if there is none.
func Get[T any](ctx context.Context, docs Docs, key string) (*T, error) {
	v, err := docs.Get(ctx, key)
	if err != nil || v == nil {
		return nil, err
	}
	t, ok := v.(*T)
	if !ok {
		return nil, fmt.Errorf("document %s is a %T, not a %T", key, v, t)
	}
	return t, nil
}

// Wants reports whether p folds events of type typ.
func Wants(p Projection, typ string) bool {
	for _, t := range p.Types() {
		if t == typ {
			return true
		}
	}
	return false
}
