package tlog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
)

// sign signs and stores the checkpoint of the tree of size entries with the
// given root. It first proves, from the stored hashes, that this tree extends
// the latest stored checkpoint, and never signs a tree it cannot prove so;
// and it stores the new checkpoint only if no other was stored since that
// one. If another signer got in first, sign returns the latest checkpoint
// instead of its own.
func (s *Service) sign(ctx context.Context, size int64, root tlog.Hash) (Signed, error) {
	c := checkpoint.Checkpoint{Origin: s.cfg.Origin, Size: uint64(size), Root: root}
	last, err := s.checkpoints.latest(ctx)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Signed{}, err
	}
	if exists && last.Size >= c.Size {
		return last, nil
	}
	if exists {
		if err := s.extends(ctx, c, last.Checkpoint); err != nil {
			return Signed{}, err
		}
	}
	msg, err := checkpoint.Sign(c, s.signer)
	if err != nil {
		return Signed{}, err
	}
	next := Signed{Checkpoint: c, Note: msg, SignedAt: s.cfg.Clock().UTC()}
	stored, err := s.checkpoints.add(ctx, next, exists, last.Size)
	if err != nil || stored {
		return next, err
	}
	return s.checkpoints.latest(ctx)
}

// extends proves with the stored hashes that the tree c states extends the
// smaller tree old states.
func (s *Service) extends(ctx context.Context, c, old checkpoint.Checkpoint) error {
	var proof []tlog.Hash
	if old.Size > 0 {
		var err error
		if proof, err = tlog.ProveTree(int64(c.Size), int64(old.Size), s.hashes.reader(ctx)); err != nil {
			return fmt.Errorf("prove tree of %d entries consistent with checkpoint of %d: %w", c.Size, old.Size, err)
		}
	}
	if err := c.VerifyConsistency(old, proof); err != nil {
		return fmt.Errorf("refusing to sign an inconsistent tree: %w", err)
	}
	return nil
}
