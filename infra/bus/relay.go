package bus

import (
	"context"
	"time"
)

// relayBatch is how many events one relay transaction publishes at most.
const relayBatch = 1000

// relayPoll is how often the relay looks at the log without being told of a
// commit: other processes' commits are not announced to this one.
const relayPoll = time.Second

// pruneEvery is how often the relay deletes the messages every consumer
// group has acknowledged.
const pruneEvery = time.Minute

// relay publishes committed events until ctx ends: after each commit this
// process announces, and every relayPoll for commits of other processes.
// Every pruneEvery it prunes the acknowledged messages.
func (b *Bus) relay(ctx context.Context) {
	commits, stop := b.cfg.Backend.Watch()
	defer stop()
	tick := time.NewTicker(relayPoll)
	defer tick.Stop()
	prune := time.NewTicker(pruneEvery)
	defer prune.Stop()
	for {
		b.publishAll(ctx)
		select {
		case <-ctx.Done():
			return
		case _, open := <-commits:
			if !open {
				commits = nil // the store closed: poll until ctx ends
			}
		case <-tick.C:
		case <-prune.C:
			b.prune(ctx)
		}
	}
}

// prune deletes the acknowledged messages. A failure is logged; the next
// round deletes what this one left.
func (b *Bus) prune(ctx context.Context) {
	n, err := b.transport.prune(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		b.cfg.Logger.WarnContext(ctx, "bus: prune", "err", err)
	case n > 0:
		b.cfg.Logger.DebugContext(ctx, "bus: pruned acknowledged messages", "messages", n)
	}
}

// publishAll publishes everything committed and not yet published. A failure
// is logged and retried at the next round: nothing is lost, since the relay's
// position only advances with what it published.
func (b *Bus) publishAll(ctx context.Context) {
	for {
		n, err := b.transport.relay(ctx, b.cfg.Backend, relayBatch)
		if err != nil {
			if ctx.Err() == nil {
				b.cfg.Logger.WarnContext(ctx, "bus: relay", "err", err)
			}
			return
		}
		if n < relayBatch {
			return
		}
	}
}
