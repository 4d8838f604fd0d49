package tlog

import (
	"context"
	"errors"
	"fmt"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// ErrNotInTree is wrapped by ProveEntry's error when the entry, as the log
// holds it now, is not the leaf the signed tree holds at its index: the log
// was changed after the entry was hashed. It is of no domain kind, so it is
// never mistaken for an entry that is merely missing.
var ErrNotInTree = errors.New("the entry as stored is not the one the signed tree holds")

// Recorded is an inclusion proof checked against the entry's stored bytes:
// Leaf is the entry's leaf as the log holds it now, and the proof shows that
// this very leaf is in the tree the checkpoint signs.
type Recorded struct {
	Inclusion
	Leaf []byte
}

// ProveEntry returns the proof that log entry index, as stored now, is in
// the tree of the latest signed checkpoint, after verifying the proof itself
// as any verifier would. The error wraps ErrNotCheckpointed while no
// checkpoint covers the entry yet (or none was signed at all),
// domain.ErrNotFound if the log has no such entry, and ErrNotInTree if the
// stored entry does not match the signed tree.
func (s *Service) ProveEntry(ctx context.Context, index uint64) (Recorded, error) {
	l, err := s.leafAt(ctx, index)
	if err != nil {
		return Recorded{}, err
	}
	p, err := s.Prove(ctx, index)
	if errors.Is(err, domain.ErrNotFound) && !errors.Is(err, ErrNotCheckpointed) {
		return Recorded{}, fmt.Errorf("entry %d: %w", index, ErrNotCheckpointed)
	}
	if err != nil {
		return Recorded{}, err
	}
	if err := p.Checkpoint.VerifyInclusion(index, l, p.Hashes); err != nil {
		return Recorded{}, fmt.Errorf("entry %d: %w: %v", index, ErrNotInTree, err)
	}
	return Recorded{Inclusion: p, Leaf: l}, nil
}

// leafAt is the leaf of log entry index as the log holds it now.
func (s *Service) leafAt(ctx context.Context, index uint64) ([]byte, error) {
	recs, err := s.log.ReadLog(ctx, index, 1)
	if err != nil {
		return nil, fmt.Errorf("read entry %d: %w", index, err)
	}
	if len(recs) == 0 || recs[0].Index != index {
		return nil, domain.NotFoundf("the log has no entry %d", index)
	}
	return leaf.Encode(recs[0])
}
