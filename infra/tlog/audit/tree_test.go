package audit

import (
	"fmt"
	"slices"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// TestTreeAgreesWithTlog checks that the tree stores, leaf after leaf,
// exactly the hashes tlog.StoredHashesForRecordHash computes, so that every
// root it gives is tlog's.
func TestTreeAgreesWithTlog(t *testing.T) {
	t.Parallel()
	const n = 300
	var want []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = want[x]
		}
		return out, nil
	})
	tr := newTree(n)
	for i := range int64(n) {
		h := tlog.RecordHash(fmt.Appendf(nil, "leaf %d", i))
		stored, err := tlog.StoredHashesForRecordHash(i, h, reader)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, stored...)
		if err := tr.add(h); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tr.hashes, want) {
			t.Fatalf("after leaf %d the tree stores %d hashes that differ from tlog's %d", i, len(tr.hashes), len(want))
		}
		got, err := tr.root(i + 1)
		if err != nil {
			t.Fatal(err)
		}
		if root, _ := tlog.TreeHash(i+1, reader); got != root {
			t.Fatalf("root of %d leaves %x, tlog's %x", i+1, got, root)
		}
	}
}

func TestLeafHasherIsRecordHash(t *testing.T) {
	t.Parallel()
	var l leafHasher
	for _, leaf := range []string{"", "a", "a leaf of some length, longer than one block of SHA-256 by far: " + fmt.Sprint(make([]int, 20))} {
		if got, want := l.hash([]byte(leaf)), tlog.RecordHash([]byte(leaf)); got != want {
			t.Fatalf("hash of %q: %x, want %x", leaf, got, want)
		}
	}
}
