package tlog

import (
	"context"
	"fmt"
	"math"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/domain"
)

// ErrNotCheckpointed is wrapped by Prove's error for an entry that no signed
// checkpoint covers yet; it is of kind domain.ErrNotFound. A checkpoint
// usually follows within SignInterval.
var ErrNotCheckpointed = &domain.Error{Kind: domain.ErrNotFound, Msg: "the entry is not covered by a signed checkpoint yet"}

// Inclusion proves that a log entry is in the tree a signed checkpoint
// states: Hashes is the RFC 6962 audit path of entry Index in the tree of
// Checkpoint.Size entries.
type Inclusion struct {
	Index      uint64
	Hashes     []tlog.Hash
	Checkpoint Signed
}

// Prove returns the proof that entry index is in the tree of the latest
// signed checkpoint.
func (s *Service) Prove(ctx context.Context, index uint64) (Inclusion, error) {
	c, err := s.Latest(ctx)
	if err != nil {
		return Inclusion{}, err
	}
	if index >= c.Size {
		return Inclusion{}, fmt.Errorf("entry %d: %w", index, ErrNotCheckpointed)
	}
	hashes, err := s.CheckpointProof(ctx, index, c)
	if err != nil {
		return Inclusion{}, err
	}
	return Inclusion{Index: index, Hashes: hashes, Checkpoint: c}, nil
}

// CheckpointProof returns the RFC 6962 audit path of entry index in the tree
// that signed checkpoint c states. It makes a single read of at most
// log₂ c.Size stored hashes, and none of the tree's size: a checkpoint is
// signed only once the hashes of its tree are stored, and stored hashes never
// change. An index not below c.Size is domain.ErrInvalid.
func (s *Service) CheckpointProof(ctx context.Context, index uint64, c Signed) ([]tlog.Hash, error) {
	if c.Size < 1 || c.Size > math.MaxInt64 {
		return nil, domain.Invalidf("size %d is not a tree size", c.Size)
	}
	return s.auditPath(ctx, index, c.Size)
}

// InclusionProof returns the RFC 6962 audit path of entry index in the tree of
// size entries. Sizes beyond the stored tree and indexes not below size are
// domain.ErrInvalid.
func (s *Service) InclusionProof(ctx context.Context, index, size uint64) ([]tlog.Hash, error) {
	if err := s.checkSize(ctx, size); err != nil {
		return nil, err
	}
	return s.auditPath(ctx, index, size)
}

// auditPath returns the audit path of entry index in the tree of size
// entries, size being a tree size whose hashes are stored.
func (s *Service) auditPath(ctx context.Context, index, size uint64) ([]tlog.Hash, error) {
	if index >= size {
		return nil, domain.Invalidf("index %d is not below size %d", index, size)
	}
	p, err := tlog.ProveRecord(int64(size), int64(index), s.hashes.proofReader(ctx))
	if err != nil {
		return nil, fmt.Errorf("prove entry %d in tree of %d: %w", index, size, err)
	}
	return p, nil
}

// ConsistencyProof returns the RFC 6962 proof that the tree of size entries
// extends the tree of old entries. old must be at least 1 and at most size,
// and size within the stored tree, or the error is domain.ErrInvalid.
func (s *Service) ConsistencyProof(ctx context.Context, old, size uint64) ([]tlog.Hash, error) {
	if err := s.checkSize(ctx, size); err != nil {
		return nil, err
	}
	if old < 1 || old > size {
		return nil, domain.Invalidf("old size %d must be between 1 and size %d", old, size)
	}
	p, err := tlog.ProveTree(int64(size), int64(old), s.hashes.reader(ctx))
	if err != nil {
		return nil, fmt.Errorf("prove tree of %d from tree of %d: %w", size, old, err)
	}
	return p, nil
}

// checkSize accepts a tree size that is positive and stored.
func (s *Service) checkSize(ctx context.Context, size uint64) error {
	if size < 1 || size > math.MaxInt64 {
		return domain.Invalidf("size %d is not a tree size", size)
	}
	n, err := s.hashes.size(ctx)
	if err != nil {
		return err
	}
	if size > uint64(n) {
		return domain.Invalidf("size %d is beyond the tree, which has %d entries", size, n)
	}
	return nil
}
