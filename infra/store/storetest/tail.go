package storetest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// testTail reads the log while writers append to it: the reader must see
// every index right after the one before it, never a later one first, and
// must end with every event.
func testTail(t *testing.T, open func(t *testing.T) store.Backend) {
	b := open(t)
	var (
		wg       sync.WaitGroup
		appended atomic.Int64
		known    versions
		done     = make(chan struct{})
	)
	for w := range writers / 4 {
		wg.Go(func() {
			recs := write(t, b, &known, w, appends)
			appended.Add(int64(len(recs)))
		})
	}
	seen := make(chan uint64, 1)
	go func() {
		seen <- tail(t, b, done)
	}()
	wg.Wait()
	close(done)
	if n := <-seen; n != uint64(appended.Load()) {
		t.Errorf("the reader saw %d events, the writers appended %d", n, appended.Load())
	}
}

// tail reads the log in small batches from index 0 until done is closed and
// the log holds nothing new, failing on any index out of sequence. It
// returns how many events it read.
func tail(t *testing.T, b store.Backend, done <-chan struct{}) uint64 {
	ch, stop := b.Watch()
	defer stop()
	var next uint64
	for {
		finished := isClosed(done)
		recs, err := b.ReadLog(t.Context(), next, 7)
		if err != nil {
			t.Errorf("ReadLog(%d, 7): %v", next, err)
			return next
		}
		for _, r := range recs {
			if r.Index != next {
				t.Errorf("the reader expected index %d and got %d", next, r.Index)
				return next
			}
			next++
		}
		if len(recs) == 0 && finished {
			return next
		}
		if len(recs) == 0 {
			waitEither(ch, done)
		}
	}
}

// isClosed reports whether ch is closed.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// waitEither waits for a value on a or b, or a short while.
func waitEither(a, b <-chan struct{}) {
	select {
	case <-a:
	case <-b:
	case <-time.After(10 * time.Millisecond):
	}
}
