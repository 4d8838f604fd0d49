package app

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// closeWait is how long Close waits for a background task to stop.
const closeWait = 10 * time.Second

// worker runs a background task that must stop before the store closes.
type worker struct {
	mu      sync.Mutex
	closed  bool
	running sync.WaitGroup
}

// run runs task until ctx ends, unless close came first.
func (w *worker) run(ctx context.Context, task func(context.Context) error) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.running.Add(1)
	w.mu.Unlock()
	defer w.running.Done()
	return task(ctx)
}

// close keeps the task from starting and waits for it to end, for at most
// d: the task ends as soon as Serve's context does, but Close must not hang
// if it is called while Serve still runs.
func (w *worker) close(d time.Duration) error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	done := make(chan struct{})
	go func() {
		w.running.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-time.After(d):
		return fmt.Errorf("a background task did not stop within %s", d)
	}
}
