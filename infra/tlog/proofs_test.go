package tlog_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"
)

// TestProofsKeepUpperLevels proves every entry of a tree once, then deletes
// the stored hashes of level 6 and above from the database: proofs still
// verify, from the upper levels kept in memory. Deleting a hash of a lower
// level then fails the proofs that need it: those are read every time.
func TestProofsKeepUpperLevels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := openSQLite(t)
	s, stop := start(t, b, fastConfig(t))
	const n = 300
	appendEvents(t, b, n)
	waitCheckpoint(t, s, n)
	stop()
	ref := reference(t, b)
	for i := range uint64(n) {
		if _, err := s.InclusionProof(ctx, i, n); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.DB().Exec(`DROP TRIGGER tlog_hashes_no_delete`); err != nil {
		t.Fatal(err)
	}
	res, err := b.DB().Exec(`DELETE FROM tlog_hashes WHERE idx IN (` + upperIndexes(n) + `)`)
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		t.Fatal("the tree has no stored hash of level 6 or above")
	}
	for i := range uint64(n) {
		p, err := s.InclusionProof(ctx, i, n)
		if err != nil {
			t.Fatalf("inclusion of %d after the upper levels were deleted: %v", i, err)
		}
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, i, n, ref.LeafHash(i), raw(p), ref.HashAt(n)); err != nil {
			t.Fatalf("inclusion of %d does not verify: %v", i, err)
		}
	}
	if _, err := b.DB().Exec(`DELETE FROM tlog_hashes WHERE idx = $1`, tlog.StoredHashIndex(0, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.InclusionProof(ctx, 0, n); err == nil {
		t.Fatal("the proof of entry 0 did not read its sibling's leaf hash, which is deleted")
	}
}

// upperIndexes lists the stored-hash indexes of level 6 and above of a tree
// of n entries, comma-separated.
func upperIndexes(n int64) string {
	out := ""
	for level := 6; int64(1)<<level <= n; level++ {
		for k := int64(0); (k+1)<<level <= n; k++ {
			if out != "" {
				out += ","
			}
			out += fmt.Sprint(tlog.StoredHashIndex(level, k))
		}
	}
	return out
}
