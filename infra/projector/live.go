package projector

import (
	"context"
	"errors"
	"math"
	"time"
)

// staleRetries is how often an advance starts again after another writer
// changed the read model under it.
const staleRetries = 3

// Deliver brings read model name up to date with the event at index, as
// announced by the bus, and everything logged before it. An index already
// folded is a duplicate and changes nothing; one further ahead makes the
// runner read the gap from the log. It also folds whatever the log holds
// beyond index, up to a batch, so a burst of deliveries costs few commits.
func (r *Runner) Deliver(ctx context.Context, name string, index uint64) error {
	return r.advance(ctx, name, index+1)
}

// Sync brings read model name up to date with the log as it is now, so that
// a read after a write sees the write.
func (r *Runner) Sync(ctx context.Context, name string) error {
	head, err := r.cfg.Backend.Size(ctx)
	if err != nil {
		return err
	}
	return r.advance(ctx, name, head)
}

// CatchUp brings every read model up to the head of the log.
func (r *Runner) CatchUp(ctx context.Context) error {
	var errs []error
	for _, name := range r.Names() {
		errs = append(errs, r.advance(ctx, name, math.MaxUint64))
	}
	return errors.Join(errs...)
}

// Run keeps the read models caught up until ctx ends: at once, then every
// Interval, which also refreshes the lag gauges. Deliveries from the bus
// make it current sooner; Run is what catches up a read model that missed
// one.
func (r *Runner) Run(ctx context.Context) {
	t := time.NewTicker(r.cfg.Interval)
	defer t.Stop()
	for {
		if err := r.CatchUp(ctx); err != nil && ctx.Err() == nil {
			r.cfg.Logger.ErrorContext(ctx, "projections: catch up", "err", err)
		}
		r.refresh(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// advance folds the log into name's live generation up to at least index
// upto (or the head, if nearer).
func (r *Runner) advance(ctx context.Context, name string, upto uint64) error {
	l, ok := r.live[name]
	if !ok {
		return unknown(name, r.Names())
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.t != nil && upto <= l.t.pos {
		return nil
	}
	for attempt := 0; ; attempt++ {
		err := r.advanceOnce(ctx, l, name, upto)
		if !errors.Is(err, errStale) || attempt == staleRetries {
			return err
		}
	}
}

// advanceOnce is one attempt of advance. The documents l holds stay valid
// only while the stored position is the one they reflect; any failure drops
// them, since they may hold changes that were not committed.
func (r *Runner) advanceOnce(ctx context.Context, l *live, name string, upto uint64) error {
	gen, pos, err := r.db.live(ctx, r.db.db, name)
	if err != nil {
		return err
	}
	if l.t == nil || l.t.gen != gen || l.t.pos != pos {
		p, _ := r.projection(name)
		l.t = r.newTarget(p, gen, pos)
	}
	if pos >= upto {
		return nil
	}
	if err := r.fold(ctx, []*target{l.t}, upto, uint64(r.cfg.FlushEvery), r.commitLive); err != nil {
		l.t = nil
		return err
	}
	return nil
}
