package projector

import (
	"context"
	"database/sql"
	"sync"
)

// committer stores a rebuild's commits in the background, one at a time and
// in order, so that folding goes on while the database writes. At most one
// commit waits while another is written, which bounds the memory it holds.
type committer struct {
	r       *Runner
	jobs    chan commitJob
	pending sync.WaitGroup
	mu      sync.Mutex
	err     error
}

// commitJob is one commit: documents encoded at submission, and the
// position range they take generation gen of name from and to.
type commitJob struct {
	name     string
	gen      int64
	claim    claim
	from, to uint64
	docs     docBatch
	done     func()
}

// startCommitter starts a committer that runs until ctx ends.
func (r *Runner) startCommitter(ctx context.Context) *committer {
	c := &committer{r: r, jobs: make(chan commitJob, 1)}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case j := <-c.jobs:
				c.run(ctx, j)
			}
		}
	}()
	return c
}

// run writes j unless an earlier commit failed.
func (c *committer) run(ctx context.Context, j commitJob) {
	defer c.pending.Done()
	if c.failed() != nil {
		return
	}
	err := c.r.db.inConnTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		if err := c.r.renew(ctx, tx, j.name, j.claim); err != nil {
			return err
		}
		if err := c.r.db.advance(ctx, tx, j.name, j.gen, j.from, j.to); err != nil {
			return err
		}
		return c.r.db.write(ctx, conn, tx, j.name, j.gen, j.docs)
	})
	if err != nil {
		c.mu.Lock()
		c.err = err
		c.mu.Unlock()
		return
	}
	c.r.metrics.folded(j.name, j.to-j.from)
	if j.done != nil {
		j.done()
	}
}

// failed returns the error of the first commit that failed, if one did.
func (c *committer) failed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// submit queues j, and returns the error of an earlier commit if one failed.
func (c *committer) submit(ctx context.Context, j commitJob) error {
	if err := c.failed(); err != nil {
		return err
	}
	c.pending.Add(1)
	select {
	case c.jobs <- j:
		return nil
	case <-ctx.Done():
		c.pending.Done()
		return ctx.Err()
	}
}

// drain waits for every queued commit and returns the first error.
func (c *committer) drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		c.pending.Wait()
		close(done)
	}()
	select {
	case <-done:
		return c.failed()
	case <-ctx.Done():
		return ctx.Err()
	}
}
