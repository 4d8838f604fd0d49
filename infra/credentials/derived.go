package credentials

import (
	"context"
	"fmt"
	"sync"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// Limits of a derived cache.
const (
	// derivedMax is how many values a derived cache holds; past it, each new
	// value evicts one that was not looked up since the eviction last passed
	// it (see evictOne). A credential's record is a few kilobytes, and the
	// ledger process should stay within 200 MB.
	derivedMax = 10_000
	// derivedMaxGap is how many new log events a derived cache reads to learn
	// which values they change; past it, it drops every value instead.
	derivedMaxGap = 10_000
	// derivedBatch is how many events one read of the log returns.
	derivedBatch = 1_000
)

// derived caches values computed from streams of the log. Each value is kept
// with the streams it was computed from, and dropped once the log holds a new
// event of one of them: every lookup first catches up with the log's head,
// which costs one query of the log's size while nothing is appended, and
// reads the events appended since otherwise. A value read after its lookup
// has caught up therefore reflects every event logged before the lookup
// began, as a fresh read of its streams would.
type derived struct {
	log    store.Log
	sizes  sizeReads
	mu     sync.Mutex
	pos    uint64                         // log events seen
	values map[string]*entry              // by key
	deps   map[string]map[string]struct{} // keys by the streams they derive from
}

// entry is a cached value with the streams it derives from. used is set by
// every lookup that finds it and cleared by an eviction that spares it.
type entry struct {
	v       any
	streams []string
	used    bool
}

func newDerived(log store.Log) *derived {
	d := &derived{log: log, sizes: sizeReads{log: log}}
	d.clear()
	return d
}

// cached returns the value under key, computing it with compute when there is
// none. compute is given the log's size, which its value must reflect at
// least (streams read after the call began do), and names the streams its
// value derives from.
//
// The lookups that compute makes reuse its catch-up (see caughtUp): what they
// find is as fresh as the call that needs it requires.
func cached[T any](ctx context.Context, d *derived, key string, compute func(ctx context.Context, size uint64) (T, []string, error)) (T, error) {
	var zero T
	pos, ctx, err := d.caughtUp(ctx)
	if err != nil {
		return zero, err
	}
	if v, ok := d.get(key); ok {
		return v.(T), nil
	}
	v, streams, err := compute(ctx, pos)
	if err != nil {
		return zero, err
	}
	d.put(key, v, streams, pos)
	return v, nil
}

// caughtUpKey is the context key under which a lookup of d leaves the log
// size it caught up with, for the lookups nested in it.
type caughtUpKey struct{ d *derived }

// caughtUp catches up with the log, unless ctx is that of a lookup of d that
// has already, and returns the log size caught up with and the context for
// the lookups nested in this one.
func (d *derived) caughtUp(ctx context.Context) (uint64, context.Context, error) {
	if pos, ok := ctx.Value(caughtUpKey{d}).(uint64); ok {
		return pos, ctx, nil
	}
	pos, err := d.catchUp(ctx)
	if err != nil {
		return 0, ctx, err
	}
	return pos, context.WithValue(ctx, caughtUpKey{d}, pos), nil
}

func (d *derived) get(key string) (any, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.values[key]
	if !ok {
		return nil, false
	}
	e.used = true
	return e.v, true
}

// put keeps v under key, derived from streams read once the log had pos
// events, unless the cache has since seen more of the log: an event among
// those might have changed the streams before they were read, and its
// invalidation would then be lost.
func (d *derived) put(key string, v any, streams []string, pos uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pos != pos {
		return
	}
	d.add(key, &entry{v: v, streams: streams})
	for _, s := range streams {
		if d.deps[s] == nil {
			d.deps[s] = map[string]struct{}{}
		}
		d.deps[s][key] = struct{}{}
	}
}

// keep keeps v under key for good: it is derived from no stream, from facts
// that never change.
func (d *derived) keep(key string, v any) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.add(key, &entry{v: v})
}

// add keeps e under key in place of any value there, evicting another value
// first if the cache is full.
func (d *derived) add(key string, e *entry) {
	d.drop(key)
	if len(d.values) >= derivedMax {
		d.evictOne()
	}
	d.values[key] = e
}

// evictOne drops one value: the first not looked up since it was last
// passed, in the map's (randomly started) order. It clears the mark of each
// value it passes, so that a value looked up between two evictions is never
// dropped, and it passes at most every value once before it finds one: a
// whole pass clears every mark. Each mark it clears was set by a lookup, so
// evictions cost O(1) amortised over puts and lookups.
func (d *derived) evictOne() {
	for pass := 0; pass < 2; pass++ {
		for key, e := range d.values {
			if e.used {
				e.used = false
				continue
			}
			d.drop(key)
			return
		}
	}
}

// drop drops the value under key, if any, and its key from the deps of the
// streams it derives from.
func (d *derived) drop(key string) {
	e, ok := d.values[key]
	if !ok {
		return
	}
	delete(d.values, key)
	for _, s := range e.streams {
		if keys := d.deps[s]; keys != nil {
			delete(keys, key)
			if len(keys) == 0 {
				delete(d.deps, s)
			}
		}
	}
}

// catchUp drops the values derived from streams that gained events since the
// last catch-up, and returns the number of log events it has now seen.
func (d *derived) catchUp(ctx context.Context) (uint64, error) {
	head, err := d.sizes.read(ctx)
	if err != nil {
		return 0, fmt.Errorf("derived values: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if head <= d.pos {
		return d.pos, nil
	}
	if head-d.pos > derivedMaxGap {
		d.clear()
		d.pos = head
		return d.pos, nil
	}
	for d.pos < head {
		recs, err := d.log.ReadLog(ctx, d.pos, int(min(head-d.pos, derivedBatch)))
		if err != nil {
			return 0, fmt.Errorf("derived values: %w", err)
		}
		if len(recs) == 0 {
			return 0, fmt.Errorf("derived values: the log has no event %d below its size %d", d.pos, head)
		}
		for _, r := range recs {
			d.invalidate(r.Stream)
		}
		d.pos = recs[len(recs)-1].Index + 1
	}
	return d.pos, nil
}

// invalidate drops the values derived from stream.
func (d *derived) invalidate(stream string) {
	for key := range d.deps[stream] {
		d.drop(key)
	}
	delete(d.deps, stream)
}

// clear drops every value.
func (d *derived) clear() {
	d.values, d.deps = map[string]*entry{}, map[string]map[string]struct{}{}
}
