package checkpoint_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
)

const origin = "ledger.example.eu/recognition"

// keys returns a fresh signer and its verifier named name.
func keys(t *testing.T, name string) (note.Signer, note.Verifier) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

func TestSignOpen(t *testing.T) {
	t.Parallel()
	s, v := keys(t, origin)
	c := checkpoint.Checkpoint{Origin: origin, Size: 5, Root: tlog.RecordHash([]byte("r"))}
	msg, err := checkpoint.Sign(c, s)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%s\n5\n%s\n\n— %s ", origin, c.Root, origin)
	if !strings.HasPrefix(string(msg), want) {
		t.Fatalf("signed checkpoint\n%s\ndoes not start with\n%s", msg, want)
	}
	got, err := checkpoint.Open(msg, v)
	if err != nil || got != c {
		t.Fatalf("Open = %+v, %v; want %+v", got, err, c)
	}
	_, other := keys(t, origin)
	if _, err := checkpoint.Open(msg, other); err == nil {
		t.Fatal("opened with another key of the same name")
	}
	tampered := strings.Replace(string(msg), "\n5\n", "\n6\n", 1)
	if _, err := checkpoint.Open([]byte(tampered), v); err == nil {
		t.Fatal("opened a checkpoint whose size was changed after signing")
	}
}

func TestSignRefusesOtherOrigin(t *testing.T) {
	s, _ := keys(t, "other.example/log")
	if _, err := checkpoint.Sign(checkpoint.Checkpoint{Origin: origin}, s); err == nil {
		t.Fatal("signed a checkpoint for an origin that is not the key's name")
	}
}

func TestOpenRefusesOriginOfAnotherKey(t *testing.T) {
	s, v := keys(t, "other.example/log")
	msg, err := note.Sign(&note.Note{Text: origin + "\n1\n" + tlog.Hash{}.String() + "\n"}, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checkpoint.Open(msg, v); !errors.Is(err, checkpoint.ErrMalformed) {
		t.Fatalf("Open = %v, want ErrMalformed for a foreign origin", err)
	}
}

func TestParse(t *testing.T) {
	root := tlog.RecordHash([]byte("r")).String()
	good := map[string]checkpoint.Checkpoint{
		origin + "\n0\n" + root + "\n":                  {Origin: origin, Size: 0, Root: tlog.RecordHash([]byte("r"))},
		origin + "\n42\n" + root + "\nextension line\n": {Origin: origin, Size: 42, Root: tlog.RecordHash([]byte("r"))},
	}
	for text, want := range good {
		if got, err := checkpoint.Parse([]byte(text)); err != nil || got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", text, got, err, want)
		}
	}
	bad := []string{
		"",
		origin + "\n1\n" + root,
		"\n1\n" + root + "\n",
		origin + "\n01\n" + root + "\n",
		origin + "\n+1\n" + root + "\n",
		origin + "\n-1\n" + root + "\n",
		origin + "\n9223372036854775808\n" + root + "\n",
		origin + "\n1\n" + root[:40] + "\n",
		origin + "\n1\n" + strings.TrimRight(root, "=") + "\n",
	}
	for _, text := range bad {
		if _, err := checkpoint.Parse([]byte(text)); !errors.Is(err, checkpoint.ErrMalformed) {
			t.Errorf("Parse(%q) = %v, want ErrMalformed", text, err)
		}
	}
}

// tree is an in-memory tree of n leaves "leaf i" built with tlog, a reader of
// its stored hashes, and a checkpoint for every size up to n.
func tree(t *testing.T, n int64) (leaves [][]byte, r tlog.HashReader, heads []checkpoint.Checkpoint) {
	t.Helper()
	var hashes []tlog.Hash
	r = tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = hashes[x]
		}
		return out, nil
	})
	heads = append(heads, checkpoint.Checkpoint{Origin: origin})
	for i := range n {
		l := fmt.Appendf(nil, "leaf %d", i)
		hs, err := tlog.StoredHashes(i, l, r)
		if err != nil {
			t.Fatal(err)
		}
		leaves, hashes = append(leaves, l), append(hashes, hs...)
		root, err := tlog.TreeHash(i+1, r)
		if err != nil {
			t.Fatal(err)
		}
		heads = append(heads, checkpoint.Checkpoint{Origin: origin, Size: uint64(i + 1), Root: root})
	}
	return leaves, r, heads
}

func TestVerifyInclusion(t *testing.T) {
	t.Parallel()
	leaves, r, heads := tree(t, 7)
	for size := int64(1); size <= 7; size++ {
		for i := range size {
			p, err := tlog.ProveRecord(size, i, r)
			if err != nil {
				t.Fatal(err)
			}
			c := heads[size]
			if err := c.VerifyInclusion(uint64(i), leaves[i], p); err != nil {
				t.Errorf("size %d, entry %d: %v", size, i, err)
			}
			if err := c.VerifyInclusion(uint64(i), []byte("forged"), p); err == nil {
				t.Errorf("size %d, entry %d: a forged leaf verified", size, i)
			}
			if err := c.VerifyInclusion(uint64(size), leaves[i], p); err == nil {
				t.Errorf("size %d: an index beyond the tree verified", size)
			}
		}
	}
}

func TestVerifyConsistency(t *testing.T) {
	t.Parallel()
	_, r, heads := tree(t, 9)
	for size := int64(1); size <= 9; size++ {
		for old := int64(1); old <= size; old++ {
			p, err := tlog.ProveTree(size, old, r)
			if err != nil {
				t.Fatal(err)
			}
			if err := heads[size].VerifyConsistency(heads[old], p); err != nil {
				t.Errorf("%d from %d: %v", size, old, err)
			}
			fork := heads[old]
			fork.Root[0] ^= 1
			if err := heads[size].VerifyConsistency(fork, p); err == nil {
				t.Errorf("%d from %d: a forked old tree verified", size, old)
			}
		}
		if err := heads[size].VerifyConsistency(heads[0], nil); err != nil {
			t.Errorf("%d from the empty tree: %v", size, err)
		}
	}
	if err := heads[3].VerifyConsistency(heads[4], nil); err == nil {
		t.Error("a smaller tree extended a larger one")
	}
}
