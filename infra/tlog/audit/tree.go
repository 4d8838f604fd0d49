package audit

import (
	"fmt"
	"math/bits"

	"golang.org/x/mod/sumdb/tlog"
)

// tree is the Merkle tree recomputed from the entries, every stored hash kept
// in memory (about 64 bytes per entry) so that the root of any prefix can be
// had, as locating a divergence needs.
type tree struct {
	hashes []tlog.Hash
	size   int64
}

// newTree returns an empty tree with room for n entries.
func newTree(n int64) *tree {
	return &tree{hashes: make([]tlog.Hash, 0, tlog.StoredHashCount(n))}
}

// add appends the leaf whose hash (tlog.RecordHash) is h to the tree: the
// stored hashes tlog.StoredHashesForRecordHash computes, without the two
// slices it allocates for every entry. Each trailing 1 bit of the leaf's
// index completes a subtree, whose hash joins the one of the subtree of the
// same height to its left.
func (t *tree) add(h tlog.Hash) error {
	n := t.size
	t.hashes = append(t.hashes, h)
	for level := range bits.TrailingZeros64(uint64(n + 1)) {
		x := tlog.StoredHashIndex(level, n>>uint(level)-1)
		if x >= int64(len(t.hashes)) {
			return fmt.Errorf("hash entry %d: stored hash %d is not computed", n, x)
		}
		h = tlog.NodeHash(t.hashes[x], h)
		t.hashes = append(t.hashes, h)
	}
	t.size++
	return nil
}

// root is the root of the tree of the first n entries, n at most size.
func (t *tree) root(n int64) (tlog.Hash, error) {
	return tlog.TreeHash(n, t)
}

// ReadHashes implements tlog.HashReader.
func (t *tree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(t.hashes)) {
			return nil, fmt.Errorf("stored hash %d is not computed", x)
		}
		out[i] = t.hashes[x]
	}
	return out, nil
}
