package tlog

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Run keeps the transparency log up to date until ctx ends, then returns
// nil. While this process is the signer it extends the tree as the log grows
// (woken by the backend's Watch, at most once per buildInterval, and every
// PollInterval for other processes' appends) and signs a checkpoint whenever
// the tree has grown and SignInterval has passed since the last one.
// Otherwise it follows: it campaigns to become the signer every PollInterval.
// Errors are logged and retried after PollInterval. Close the store only after
// Run has returned.
func (s *Service) Run(ctx context.Context) error {
	watch, stop := s.log.Watch()
	defer stop()
	for {
		held, resign, ok, err := s.elector.campaign(ctx)
		if err != nil && ctx.Err() == nil {
			s.cfg.Logger.Warn("campaign for checkpoint signer failed", "err", err)
		}
		if ok {
			s.gauges.leading.Store(true)
			err := s.lead(held, watch)
			resign()
			s.gauges.leading.Store(false)
			if err != nil && ctx.Err() == nil {
				s.cfg.Logger.Error("transparency log signer stopped", "err", err)
			}
		}
		s.follow(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(s.cfg.PollInterval):
		}
	}
}

// follow updates the gauges from the database, as kept by the signer.
func (s *Service) follow(ctx context.Context) {
	if n, err := s.hashes.size(ctx); err == nil {
		s.gauges.treeSize.Store(n)
	}
	if c, err := s.checkpoints.latest(ctx); err == nil {
		s.gauges.checkpoint(c)
	}
}

// lead builds and signs until ctx ends or something fails.
func (s *Service) lead(ctx context.Context, watch <-chan struct{}) error {
	b := &builder{log: s.log, hashes: s.hashes, batch: s.cfg.BatchSize}
	if err := b.load(ctx); err != nil {
		return unlessDone(ctx, err)
	}
	last, err := s.checkpoints.latest(ctx)
	signed := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return unlessDone(ctx, err)
	}
	for {
		started := time.Now()
		n, err := b.step(ctx)
		if err != nil {
			return unlessDone(ctx, err)
		}
		s.gauges.treeSize.Store(b.size)
		if !signed || s.due(b, last) {
			if last, err = s.sign(ctx, b.size, b.root); err != nil {
				return unlessDone(ctx, err)
			}
			signed = true
			s.gauges.checkpoint(last)
		}
		if n < b.batch {
			if watch, err = s.sleep(ctx, watch, s.wait(b, last)); err != nil {
				return nil
			}
			if err := s.gather(ctx, started); err != nil {
				return nil
			}
		}
	}
}

// buildInterval is the least time from the start of one extension of the
// tree to the next while the log grows, so that the entries appended
// meanwhile are hashed and stored in one transaction rather than one per
// group commit; an append that comes buildInterval or more after the last
// step began is hashed at once. It is far below any sensible SignInterval, so
// checkpoints are not delayed noticeably.
const buildInterval = 50 * time.Millisecond

// gather waits until buildInterval has passed since a step started, so that
// the appends of that time join the next step; it fails when ctx ends.
func (s *Service) gather(ctx context.Context, started time.Time) error {
	d := buildInterval - time.Since(started)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// unlessDone is err, or nil if ctx ended: a leadership that ends cuts its
// work short without anything having gone wrong.
func unlessDone(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// due reports whether the tree has outgrown the last checkpoint and the
// signing interval has passed.
func (s *Service) due(b *builder, last Signed) bool {
	return uint64(b.size) > last.Size && s.cfg.Clock().Sub(last.SignedAt) >= s.cfg.SignInterval
}

// wait is how long the signer may sleep: until the next poll, or sooner if a
// checkpoint falls due.
func (s *Service) wait(b *builder, last Signed) time.Duration {
	d := s.cfg.PollInterval
	if uint64(b.size) > last.Size {
		d = min(d, last.SignedAt.Add(s.cfg.SignInterval).Sub(s.cfg.Clock()))
	}
	return max(d, 0)
}

// sleep waits d, or until watch signals an append; it fails when ctx ends.
// It returns the channel to watch next: nil, which never fires, once watch
// is closed, so that a closed store leaves the signer polling, not spinning.
func (s *Service) sleep(ctx context.Context, watch <-chan struct{}, d time.Duration) (<-chan struct{}, error) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return watch, ctx.Err()
	case _, open := <-watch:
		if !open {
			return nil, nil
		}
	case <-t.C:
	}
	return watch, nil
}
