package bench

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Progress tells whoever watches the run (on stderr) what it is doing and
// how far it got. It is safe for concurrent use.
type Progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	every time.Duration // how often a Counter reports
}

// NewProgress returns a Progress writing to w; counters report every
// interval.
func NewProgress(w io.Writer, interval time.Duration) *Progress {
	return &Progress{w: w, start: time.Now(), every: interval}
}

// Printf writes one line, prefixed with the time since the run started.
func (p *Progress) Printf(format string, a ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "[%6.1fs] %s\n", time.Since(p.start).Seconds(), fmt.Sprintf(format, a...))
}

// Counter counts the operations of one phase and reports them periodically.
type Counter struct {
	n     atomic.Int64
	total int
	label string
	p     *Progress
	start time.Time
	stop  chan struct{}
	done  sync.WaitGroup
	// stalled, if not nil, is called once when the count has not moved for
	// stallAfter.
	stalled    func(label string, after time.Duration)
	stallAfter time.Duration
}

// Count starts reporting a phase named label of total operations (0 if
// unknown) until Done is called.
func (p *Progress) Count(label string, total int) *Counter {
	return p.count(label, total, nil, 0)
}

// count is Count, calling stalled if the count does not move for after.
func (p *Progress) count(label string, total int, stalled func(string, time.Duration), after time.Duration) *Counter {
	c := &Counter{total: total, label: label, p: p, start: time.Now(), stop: make(chan struct{}), stalled: stalled, stallAfter: after}
	c.done.Go(c.report)
	return c
}

// Add counts n more operations.
func (c *Counter) Add(n int) { c.n.Add(int64(n)) }

// Done stops the reports and writes the phase's last line.
func (c *Counter) Done() {
	close(c.stop)
	c.done.Wait()
	c.line()
}

// report writes a line every interval until Done, and calls stalled if
// the count stops moving.
func (c *Counter) report() {
	t := time.NewTicker(c.p.every)
	defer t.Stop()
	last, moved := int64(-1), time.Now()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.line()
		}
		if n := c.n.Load(); n != last {
			last, moved = n, time.Now()
		} else if c.stalled != nil && time.Since(moved) >= c.stallAfter {
			c.stalled(c.label, c.stallAfter)
			c.stalled = nil
		}
	}
}

// line reports the count so far and its rate.
func (c *Counter) line() {
	n := c.n.Load()
	rate := float64(n) / time.Since(c.start).Seconds()
	if c.total > 0 {
		c.p.Printf("%s: %d/%d (%s/s)", c.label, n, c.total, number(rate))
		return
	}
	c.p.Printf("%s: %d (%s/s)", c.label, n, number(rate))
}
