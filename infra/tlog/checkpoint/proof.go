package checkpoint

import (
	"fmt"
	"math"

	"golang.org/x/mod/sumdb/tlog"
)

// VerifyInclusion checks that leaf is entry index of the tree c describes,
// given the RFC 6962 audit path proof.
func (c Checkpoint) VerifyInclusion(index uint64, leaf []byte, proof []tlog.Hash) error {
	if index >= c.Size || c.Size > math.MaxInt64 {
		return fmt.Errorf("entry %d is not in a tree of %d entries", index, c.Size)
	}
	if err := tlog.CheckRecord(proof, int64(c.Size), c.Root, int64(index), tlog.RecordHash(leaf)); err != nil {
		return fmt.Errorf("entry %d in tree of %d entries: %w", index, c.Size, err)
	}
	return nil
}

// VerifyConsistency checks, given the RFC 6962 consistency proof, that the
// tree c describes extends the tree old describes: the log only grew.
func (c Checkpoint) VerifyConsistency(old Checkpoint, proof []tlog.Hash) error {
	switch {
	case old.Size > c.Size || c.Size > math.MaxInt64:
		return fmt.Errorf("tree of %d entries cannot extend one of %d", c.Size, old.Size)
	case old.Size == 0:
		return nil
	case old.Size == c.Size && old.Root != c.Root:
		return fmt.Errorf("two different trees of %d entries", c.Size)
	}
	if err := tlog.CheckTree(proof, int64(c.Size), c.Root, int64(old.Size), old.Root); err != nil {
		return fmt.Errorf("tree of %d entries from tree of %d: %w", c.Size, old.Size, err)
	}
	return nil
}
