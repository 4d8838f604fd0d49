package credentials

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// memLog is a log in memory for the caches' tests: its events are known by
// stream only. gate, when set, holds every Size call until it is closed.
type memLog struct {
	store.Log
	mu      sync.Mutex
	streams []string
	sizes   int // Size calls
	gate    chan struct{}
}

func (l *memLog) append(stream string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.streams = append(l.streams, stream)
}

// Size answers the size as it was when the call began.
func (l *memLog) Size(context.Context) (uint64, error) {
	l.mu.Lock()
	gate, size := l.gate, uint64(len(l.streams))
	l.sizes++
	l.mu.Unlock()
	if gate != nil {
		<-gate
	}
	return size, nil
}

func (l *memLog) ReadLog(_ context.Context, from uint64, limit int) ([]store.Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []store.Record
	for i := from; i < uint64(len(l.streams)) && len(out) < limit; i++ {
		out = append(out, store.Record{Index: i, Stream: l.streams[i]})
	}
	return out, nil
}

// TestDerivedFollowsItsStreams caches a value derived from two streams: it
// is computed again once either gains an event, and only then.
func TestDerivedFollowsItsStreams(t *testing.T) {
	log := &memLog{}
	d := newDerived(log)
	computed := 0
	get := func() int {
		t.Helper()
		v, err := cached(t.Context(), d, "v", func(context.Context, uint64) (int, []string, error) {
			computed++
			return computed, []string{"a", "b"}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, step := range []struct {
		appendTo string
		want     int
	}{{"", 1}, {"", 1}, {"c", 1}, {"a", 2}, {"c", 2}, {"b", 3}, {"", 3}} {
		if step.appendTo != "" {
			log.append(step.appendTo)
		}
		if got := get(); got != step.want {
			t.Fatalf("after an event of %q: value %d, want %d", step.appendTo, got, step.want)
		}
	}
}

// TestSizeReadsShareLaterReads holds a read of the log's size while an event
// is committed and more callers come: they must not take the held read's
// answer, which predates their call, but share one read that follows it.
func TestSizeReadsShareLaterReads(t *testing.T) {
	log := &memLog{gate: make(chan struct{})}
	r := &sizeReads{log: log}
	first := make(chan uint64)
	go func() {
		n, _ := r.read(t.Context())
		first <- n
	}()
	waitFor(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.running })
	log.append("s")
	var wg sync.WaitGroup
	later := make([]uint64, 8)
	for i := range later {
		wg.Go(func() { later[i], _ = r.read(t.Context()) })
	}
	waitFor(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.next != nil && r.next.callers == len(later) })
	log.mu.Lock()
	close(log.gate)
	log.gate = nil
	log.mu.Unlock()
	if n := <-first; n != 0 {
		t.Fatalf("the first read answered %d, want 0", n)
	}
	wg.Wait()
	for i, n := range later {
		if n != 1 {
			t.Fatalf("caller %d got size %d from a read older than its call; want 1", i, n)
		}
	}
	if log.sizes != 2 {
		t.Fatalf("%d reads of the size for 9 callers; want 2", log.sizes)
	}
}

// waitFor waits until cond holds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-t.Context().Done():
			t.Fatal("gave up waiting")
		case <-time.After(time.Millisecond):
		}
	}
}

// TestDerivedNestedLookupsReuseTheCatchUp has a value computed from another:
// the inner lookup reuses the outer one's catch-up, so the log's size is read
// once, and both values are kept.
func TestDerivedNestedLookupsReuseTheCatchUp(t *testing.T) {
	log := &memLog{}
	d := newDerived(log)
	inner := func(ctx context.Context) (string, error) {
		return cached(ctx, d, "inner", func(context.Context, uint64) (string, []string, error) {
			return "in", []string{"a"}, nil
		})
	}
	outer, err := cached(t.Context(), d, "outer", func(ctx context.Context, _ uint64) (string, []string, error) {
		v, err := inner(ctx)
		return "out:" + v, []string{"b"}, err
	})
	if err != nil || outer != "out:in" || log.sizes != 1 {
		t.Fatalf("outer value %q (%v) with %d size reads; want out:in with 1", outer, err, log.sizes)
	}
	if _, ok := d.get("inner"); !ok {
		t.Fatal("the inner value was not kept")
	}
}

// TestDerivedKeepsHotValuesWhenFull looks a hot value up between the puts of
// many cold ones, three times as many as the cache holds: the hot value is
// computed once, the cache stays at its limit, and invalidation stays exact
// for evicted and kept values alike.
func TestDerivedKeepsHotValuesWhenFull(t *testing.T) {
	log := &memLog{}
	d := newDerived(log)
	hotComputed := 0
	hot := func() {
		t.Helper()
		if _, err := cached(t.Context(), d, "hot", func(context.Context, uint64) (int, []string, error) {
			hotComputed++
			return hotComputed, []string{"org"}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 * derivedMax {
		hot()
		key := "cold/" + strconv.Itoa(i)
		if _, err := cached(t.Context(), d, key, func(context.Context, uint64) (int, []string, error) {
			return i, []string{key, "shared"}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	hot()
	if hotComputed != 1 {
		t.Fatalf("the hot value was computed %d times; want 1", hotComputed)
	}
	d.mu.Lock()
	n, shared := len(d.values), len(d.deps["shared"])
	streams := len(d.deps)
	d.mu.Unlock()
	if n != derivedMax || shared != derivedMax-1 || streams != derivedMax+1 {
		t.Fatalf("%d values, %d keys under the shared stream, %d streams; want %d, %d, %d",
			n, shared, streams, derivedMax, derivedMax-1, derivedMax+1)
	}
	log.append("org")
	hot()
	if hotComputed != 2 {
		t.Fatalf("an event of its stream left the hot value cached (computed %d times)", hotComputed)
	}
	log.append("shared")
	if _, _, err := d.caughtUp(t.Context()); err != nil {
		t.Fatal(err)
	}
	d.mu.Lock()
	n, streams = len(d.values), len(d.deps)
	d.mu.Unlock()
	if n != 1 || streams != 1 {
		t.Fatalf("after an event of the shared stream: %d values and %d streams with deps; want the hot one alone", n, streams)
	}
}
