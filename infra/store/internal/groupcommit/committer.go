package groupcommit

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// ErrClosed answers appends made after the store closed.
var ErrClosed = errors.New("event log is closed")

// MaxBatch is the most requests one commit carries.
const MaxBatch = 256

// CommitFunc commits reqs in order, as one transaction where it can, and
// answers each one with Succeed or Fail. A request that fails must leave no
// trace in the log. ctx is the committer's, not any caller's.
type CommitFunc func(ctx context.Context, reqs []*Request)

// Committer owns the goroutine that commits queued appends.
type Committer struct {
	commit  CommitFunc
	hub     *Hub
	metrics *Metrics
	now     func() time.Time
	queue   chan *Request
	quit    chan struct{}
	stopped chan struct{}
	batch   []*Request

	// waitBound is how long, after a commit that took d, the next batch may
	// wait for the writers it answered to come back (see collect).
	waitBound func(d time.Duration) time.Duration
	expect    int       // How many requests the last commit answered.
	waitUntil time.Time // Until when the next batch may wait for them.
}

// Start starts the committer goroutine. After each commit that stored events
// it notifies hub and updates metrics (which may be nil).
func Start(commit CommitFunc, hub *Hub, metrics *Metrics) *Committer {
	c := newCommitter(commit, hub, metrics)
	go c.run()
	return c
}

// newCommitter is Start without starting the goroutine.
func newCommitter(commit CommitFunc, hub *Hub, metrics *Metrics) *Committer {
	return &Committer{
		commit: commit, hub: hub, metrics: metrics, now: time.Now,
		queue:     make(chan *Request, MaxBatch),
		quit:      make(chan struct{}),
		stopped:   make(chan struct{}),
		batch:     make([]*Request, 0, MaxBatch),
		waitBound: func(d time.Duration) time.Duration { return min(d/waitShare, maxWait) },
	}
}

// Append queues an append and waits for its commit. If ctx ends first, Append
// returns ctx's error; the events are then appended only if their commit had
// already begun.
func (c *Committer) Append(ctx context.Context, stream string, expected uint64, events []store.Event) ([]store.Record, error) {
	if err := Validate(stream, expected, events); err != nil {
		return nil, err
	}
	r := &Request{Stream: stream, Expected: expected, Events: events, ctx: ctx, enqueued: c.now(), done: make(chan struct{})}
	select {
	case c.queue <- r:
	case <-c.quit:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, fmt.Errorf("append to stream %s: %w", stream, context.Cause(ctx))
	}
	return c.wait(ctx, r)
}

// wait waits for r's answer.
func (c *Committer) wait(ctx context.Context, r *Request) ([]store.Record, error) {
	select {
	case <-r.done:
		return r.records, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("append to stream %s: %w", r.Stream, context.Cause(ctx))
	case <-c.stopped:
		select {
		case <-r.done:
			return r.records, r.err
		default:
			return nil, ErrClosed
		}
	}
}

// Stop lets the commit in progress finish, fails the appends still queued
// with ErrClosed and waits for the goroutine to end. It is safe to call twice.
func (c *Committer) Stop() {
	select {
	case <-c.quit:
	default:
		close(c.quit)
	}
	<-c.stopped
}

// run is the committer goroutine. After a commit of several requests it
// yields, so that the writers it just answered can queue their next appends
// before it collects the next batch, and the next batch may wait a little for
// those still on their way (see collect): with many writers, batches then
// stay large instead of alternating between the writers answered and the
// rest. A lone writer's commits carry one request and never yield or wait.
// Once it sees that Stop was called, it commits nothing more.
func (c *Committer) run() {
	defer close(c.stopped)
	for {
		if isClosed(c.quit) {
			c.failQueued()
			return
		}
		select {
		case <-c.quit:
		case r := <-c.queue:
			batch := c.collect(r)
			start := time.Now()
			c.commitBatch(batch)
			c.expect = 0
			if len(batch) > 1 {
				c.expect, c.waitUntil = len(batch), time.Now().Add(c.waitBound(time.Since(start)))
				c.letWritersQueue()
			}
		}
	}
}

// Waiting for the writers of the last commit (see collect) lasts at most
// 1/waitShare of that commit's duration and never more than maxWait.
const (
	waitShare = 4
	maxWait   = 2 * time.Millisecond
)

// maxYields bounds how often letWritersQueue yields.
const maxYields = 8

// letWritersQueue yields to other goroutines for as long as that makes the
// queue grow, at most maxYields times: the writers just answered then queue
// their next appends before the committer collects.
func (c *Committer) letWritersQueue() {
	for n, i := len(c.queue), 0; i < maxYields && n < MaxBatch; i++ {
		runtime.Gosched()
		if m := len(c.queue); m > n {
			n = m
			continue
		}
		return
	}
}

// collect adds to first whatever else is already queued, up to MaxBatch.
// After a commit of several requests, whose writers are likely to append
// again as soon as they are answered, it also waits for more until the batch
// is as large as that commit was, but not past c.waitUntil: a commit costs
// much the same for a few requests as for many, so a batch that waits a
// fraction of a commit for the writers still on their way makes the commits
// fewer. A lone writer's commits carry one request, so it never waits.
func (c *Committer) collect(first *Request) []*Request {
	batch := append(c.batch[:0], first)
	for len(batch) < MaxBatch {
		select {
		case r := <-c.queue:
			batch = append(batch, r)
			continue
		default:
		}
		if len(batch) >= c.expect {
			return batch
		}
		wait := time.Until(c.waitUntil)
		if wait <= 0 {
			return batch
		}
		return c.waitFor(batch, wait)
	}
	return batch
}

// waitFor adds queued requests to batch as they come, for at most wait, until
// it holds c.expect of them (or MaxBatch), or Stop is called.
func (c *Committer) waitFor(batch []*Request, wait time.Duration) []*Request {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for len(batch) < min(c.expect, MaxBatch) {
		select {
		case r := <-c.queue:
			batch = append(batch, r)
		case <-timer.C:
			return batch
		case <-c.quit:
			return batch
		}
	}
	return batch
}

// commitBatch commits the requests whose callers still wait and answers all.
func (c *Committer) commitBatch(batch []*Request) {
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.Fail(fmt.Errorf("append to stream %s: %w", r.Stream, context.Cause(r.ctx)))
			close(r.done)
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	c.commit(context.Background(), live)
	c.metrics.observeBatch(len(live))
	c.answer(live)
}

// answer releases the callers of a committed batch, after telling watchers and
// metrics about the events it stored.
func (c *Committer) answer(batch []*Request) {
	var size uint64
	for _, r := range batch {
		if n := len(r.records); r.err == nil && n > 0 {
			size = max(size, r.records[n-1].Index+1)
		}
	}
	if size > 0 {
		c.metrics.SetLogSize(size)
		c.hub.Notify()
	}
	now := c.now()
	for _, r := range batch {
		c.metrics.observeAppend(now.Sub(r.enqueued))
		close(r.done)
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

// failQueued answers every request still in the queue with ErrClosed.
func (c *Committer) failQueued() {
	for {
		select {
		case r := <-c.queue:
			r.Fail(ErrClosed)
			close(r.done)
		default:
			return
		}
	}
}
