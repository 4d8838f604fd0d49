package groupcommit

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// startWaiting starts a committer whose batches may wait up to bound for the
// writers of the commit before.
func startWaiting(l *memLog, bound time.Duration) *Committer {
	c := newCommitter(l.commit, NewHub(), nil)
	c.waitBound = func(time.Duration) time.Duration { return bound }
	go c.run()
	return c
}

// TestAnsweredWritersShareTheNextCommit has 8 writers that each take a few
// milliseconds after an answer before they append again: the committer has
// long run out of yields by then, so without waiting for them it would commit
// whichever came first alone. With the wait, each commit after the first two
// holds all 8.
func TestAnsweredWritersShareTheNextCommit(t *testing.T) {
	const writers, rounds = 8, 4
	l := newMemLog(true)
	c := startWaiting(l, time.Minute)
	defer c.Stop()
	first := appendAsync(t.Context(), c, 1, "first")
	<-l.entered // The first commit is in progress; the writers queue behind it.
	errs := make(chan error, writers)
	for w := range writers {
		go func() {
			var err error
			for v := range rounds {
				if v > 0 {
					time.Sleep(time.Duration(1+rand.IntN(10)) * time.Millisecond)
				}
				if _, err = c.Append(t.Context(), fmt.Sprintf("w-%d", w), uint64(v), ev(fmt.Sprintf("w-%d-%d", w, v))); err != nil {
					break
				}
			}
			errs <- err
		}()
	}
	waitQueued(t, c, writers)
	close(l.gate)
	check(t, <-first)
	for range writers {
		check(t, <-errs)
	}
	if got, want := fmt.Sprint(l.sizes()), "[1 8 8 8 8]"; got != want {
		t.Errorf("batches %s, want %s", got, want)
	}
}

// TestWaitEndsAtItsBound answers 8 writers that do not come back; the next
// append waits for them no longer than the bound and is then committed alone.
func TestWaitEndsAtItsBound(t *testing.T) {
	l := newMemLog(true)
	c := startWaiting(l, 50*time.Millisecond)
	defer c.Stop()
	first := appendAsync(t.Context(), c, 1, "first")
	<-l.entered
	rest := appendAsync(t.Context(), c, 8, "rest")
	waitQueued(t, c, 8)
	close(l.gate)
	check(t, <-first)
	for range 8 {
		check(t, <-rest)
	}
	start := time.Now()
	if _, err := c.Append(t.Context(), "late", 0, ev("late")); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the late append took %v, beyond any bound of 50ms", took)
	}
	if got, want := fmt.Sprint(l.sizes()), "[1 8 1]"; got != want {
		t.Errorf("batches %s, want %s", got, want)
	}
}

// TestLoneWriterNeverWaits appends one event at a time from one writer with
// a bound of a minute: commits of one request set no wait.
func TestLoneWriterNeverWaits(t *testing.T) {
	l := newMemLog(false)
	c := startWaiting(l, time.Minute)
	defer c.Stop()
	start := time.Now()
	for v := range 20 {
		if _, err := c.Append(t.Context(), "lone", uint64(v), ev(fmt.Sprintf("lone-%d", v))); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("20 lone appends took %v", took)
	}
}

// TestStopEndsTheWait calls Stop while a batch waits, with a bound of a
// minute, for writers that do not come back: Stop returns at once, and the
// waiting append is answered (committed, as its collection had begun).
func TestStopEndsTheWait(t *testing.T) {
	l := newMemLog(true)
	c := startWaiting(l, time.Minute)
	first := appendAsync(t.Context(), c, 1, "first")
	<-l.entered
	rest := appendAsync(t.Context(), c, 8, "rest")
	waitQueued(t, c, 8)
	l.gate <- struct{}{} // Let the first commit through, then the batch of 8.
	<-l.entered
	l.gate <- struct{}{}
	check(t, <-first)
	for range 8 {
		check(t, <-rest)
	}
	close(l.gate)
	late := appendAsync(t.Context(), c, 1, "late")
	waitQueued(t, c, 0)
	time.Sleep(20 * time.Millisecond) // The committer now waits with "late" collected.
	stopped := make(chan struct{})
	go func() { c.Stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("Stop did not end the wait")
	}
	if err := <-late; err != nil && !errors.Is(err, ErrClosed) {
		t.Errorf("late Append = %v", err)
	}
}
