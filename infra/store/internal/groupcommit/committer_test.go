package groupcommit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// memLog is a CommitFunc that stores requests in memory, records each batch's
// size, and waits for gate (if not nil) before each commit.
type memLog struct {
	mu      sync.Mutex
	gate    chan struct{}
	batches []int
	next    uint64
	entered chan struct{}
}

func newMemLog(gated bool) *memLog {
	l := &memLog{entered: make(chan struct{}, 1000)}
	if gated {
		l.gate = make(chan struct{})
	}
	return l
}

func (l *memLog) commit(_ context.Context, reqs []*Request) {
	l.entered <- struct{}{}
	if l.gate != nil {
		<-l.gate
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.batches = append(l.batches, len(reqs))
	for _, r := range reqs {
		r.Succeed(r.Stored(l.next, time.Unix(0, 0)))
		l.next += uint64(len(r.Events))
	}
}

func (l *memLog) sizes() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]int(nil), l.batches...)
}

func ev(id string) []store.Event { return []store.Event{{ID: id, Type: "t", Schema: 1}} }

// appendAsync starts n appends to distinct streams and returns their errors.
func appendAsync(ctx context.Context, c *Committer, n int, prefix string) <-chan error {
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, err := c.Append(ctx, fmt.Sprintf("%s-%d", prefix, i), 0, ev(fmt.Sprintf("%s-%d", prefix, i)))
			errs <- err
		}()
	}
	return errs
}

// waitQueued waits until n requests, or as many as fit, wait in c's queue.
func waitQueued(t *testing.T, c *Committer, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(c.queue) < min(n, MaxBatch) {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests queued, want %d", len(c.queue), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestLoneAppendCommitsAtOnce(t *testing.T) {
	l := newMemLog(false)
	c := Start(l.commit, NewHub(), nil)
	defer c.Stop()
	recs, err := c.Append(t.Context(), "s", 0, ev("e1"))
	if err != nil || len(recs) != 1 || recs[0].Version != 1 {
		t.Fatalf("Append = %+v, %v", recs, err)
	}
	if got := l.sizes(); fmt.Sprint(got) != "[1]" {
		t.Errorf("batches %v, want [1]", got)
	}
}

// TestQueuedAppendsShareACommit holds the first commit while more appends
// queue, then requires them to be committed together: all of them, or, beyond
// MaxBatch, MaxBatch of them first and the rest after (in as many commits as
// the late senders needed to get into the queue).
func TestQueuedAppendsShareACommit(t *testing.T) {
	tests := []struct {
		queued, second int
	}{
		{1, 1},
		{10, 10},
		{MaxBatch, MaxBatch},
		{MaxBatch + 44, MaxBatch},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.queued), func(t *testing.T) {
			t.Parallel()
			l := newMemLog(true)
			c := Start(l.commit, NewHub(), nil)
			defer c.Stop()
			first := appendAsync(t.Context(), c, 1, "first")
			<-l.entered // The first commit is in progress; the rest must queue.
			rest := appendAsync(t.Context(), c, tc.queued, "rest")
			waitQueued(t, c, tc.queued)
			close(l.gate)
			for range 1 + tc.queued {
				select {
				case err := <-first:
					check(t, err)
				case err := <-rest:
					check(t, err)
				}
			}
			checkBatches(t, l.sizes(), tc.queued, tc.second)
		})
	}
}

// checkBatches requires a first commit of 1, a second of second, and
// commits of at most MaxBatch for the remaining of queued.
func checkBatches(t *testing.T, sizes []int, queued, second int) {
	t.Helper()
	if len(sizes) < 2 || sizes[0] != 1 || sizes[1] != second {
		t.Fatalf("batches %v, want 1 then %d", sizes, second)
	}
	left := queued - second
	for _, n := range sizes[2:] {
		if n > MaxBatch {
			t.Errorf("batches %v: one holds more than %d", sizes, MaxBatch)
		}
		left -= n
	}
	if left != 0 {
		t.Errorf("batches %v do not hold the %d queued appends", sizes, queued)
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Error(err)
	}
}

func TestCancelledAppendIsNotCommitted(t *testing.T) {
	l := newMemLog(true)
	c := Start(l.commit, NewHub(), nil)
	defer c.Stop()
	first := appendAsync(t.Context(), c, 1, "first")
	<-l.entered
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := appendAsync(ctx, c, 3, "cancelled")
	waitQueued(t, c, 3)
	cancel()
	for range 3 {
		if err := <-cancelled; !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled Append = %v, want context.Canceled", err)
		}
	}
	close(l.gate)
	check(t, <-first)
	if _, err := c.Append(t.Context(), "after", 0, ev("after")); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(l.sizes()); got != "[1 1]" {
		t.Errorf("batches %s, want [1 1]: the cancelled appends must not reach a commit", got)
	}
}

func TestStop(t *testing.T) {
	l := newMemLog(true)
	c := Start(l.commit, NewHub(), nil)
	first := appendAsync(t.Context(), c, 1, "first")
	<-l.entered
	queued := appendAsync(t.Context(), c, 5, "queued")
	waitQueued(t, c, 5)
	stopped := make(chan struct{})
	go func() { c.Stop(); close(stopped) }()
	for !isClosed(c.quit) { // Stop is called while the first commit is in progress.
		time.Sleep(time.Millisecond)
	}
	close(l.gate)
	<-stopped
	check(t, <-first) // The commit in progress finishes.
	for range 5 {
		if err := <-queued; !errors.Is(err, ErrClosed) {
			t.Errorf("queued Append = %v, want ErrClosed", err)
		}
	}
	if _, err := c.Append(t.Context(), "late", 0, ev("late")); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Stop = %v, want ErrClosed", err)
	}
	c.Stop()
}
