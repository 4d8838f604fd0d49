package tlog_test

import (
	"context"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/store"
	ledgertlog "github.com/erasmus-ledger/ledger/infra/tlog"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// backends opens each backend the tree must work on.
var backends = map[string]func(testing.TB) store.Backend{"sqlite": openSQLite, "postgres": openPostgres}

// sizes are the tree sizes checked, most of them not powers of two.
var sizes = []uint64{1, 2, 3, 5, 7, 100, 1000}

// reference is an independent RFC 6962 tree over the leaves of the log.
func reference(t *testing.T, l store.Log) *testonly.Tree {
	t.Helper()
	ref := testonly.New(rfc6962.DefaultHasher)
	for _, r := range readAll(t, l) {
		b, err := leaf.Encode(r)
		if err != nil {
			t.Fatal(err)
		}
		ref.AppendData(b)
	}
	return ref
}

func raw(hashes []tlog.Hash) [][]byte {
	out := make([][]byte, len(hashes))
	for i := range hashes {
		out[i] = hashes[i][:]
	}
	return out
}

// TestCheckpointRoots grows the log through each size and checks that the
// checkpoint signed for it has the root an independent implementation
// computes.
func TestCheckpointRoots(t *testing.T) {
	t.Parallel()
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := open(t)
			s, _ := start(t, b, fastConfig(t))
			for _, n := range sizes {
				size, _ := b.Size(context.Background())
				appendEvents(t, b, int(n-size))
				c := waitCheckpoint(t, s, n)
				if c.Size != n {
					t.Fatalf("checkpoint of %d entries, want %d: the log did not grow meanwhile", c.Size, n)
				}
				if want := reference(t, b).Hash(); string(c.Root[:]) != string(want) {
					t.Fatalf("size %d: root %x, reference root %x", n, c.Root, want)
				}
			}
		})
	}
}

// TestProofs checks inclusion and consistency proofs for every tree size of
// the list with an independent verifier, and that tampered inputs fail it.
func TestProofs(t *testing.T) {
	t.Parallel()
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := open(t)
			s, _ := start(t, b, fastConfig(t))
			appendEvents(t, b, 1000)
			waitCheckpoint(t, s, 1000)
			ref := reference(t, b)
			for _, n := range sizes {
				checkInclusion(t, s, ref, n)
				checkConsistency(t, s, ref, n)
			}
		})
	}
}

// step is the stride through indexes of a tree of n entries: every one for
// small trees, a sample for large ones.
func step(n uint64) uint64 { return max(1, n/37) }

func checkInclusion(t *testing.T, s *ledgertlog.Service, ref *testonly.Tree, n uint64) {
	t.Helper()
	root := ref.HashAt(n)
	for i := uint64(0); i < n; i += step(n) {
		p, err := s.InclusionProof(context.Background(), i, n)
		if err != nil {
			t.Fatalf("inclusion of %d in %d: %v", i, n, err)
		}
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, i, n, ref.LeafHash(i), raw(p), root); err != nil {
			t.Fatalf("inclusion of %d in %d does not verify: %v", i, n, err)
		}
		if n > 1 {
			if err := proof.VerifyInclusion(rfc6962.DefaultHasher, (i+1)%n, n, ref.LeafHash(i), raw(p), root); err == nil {
				t.Fatalf("proof of %d in %d verifies for another index", i, n)
			}
		}
	}
}

func checkConsistency(t *testing.T, s *ledgertlog.Service, ref *testonly.Tree, n uint64) {
	t.Helper()
	for old := uint64(1); old <= n; old += step(n) {
		p, err := s.ConsistencyProof(context.Background(), old, n)
		if err != nil {
			t.Fatalf("consistency of %d with %d: %v", n, old, err)
		}
		if err := proof.VerifyConsistency(rfc6962.DefaultHasher, old, n, raw(p), ref.HashAt(old), ref.HashAt(n)); err != nil {
			t.Fatalf("consistency of %d with %d does not verify: %v", n, old, err)
		}
		if old < n {
			forged := append([]byte{}, ref.HashAt(old)...)
			forged[0] ^= 1
			if err := proof.VerifyConsistency(rfc6962.DefaultHasher, old, n, raw(p), forged, ref.HashAt(n)); err == nil {
				t.Fatalf("consistency of %d with a forged tree of %d verifies", n, old)
			}
		}
	}
}
