package audit

import (
	"hash/maphash"
	"testing"
)

func TestIDSet(t *testing.T) {
	t.Parallel()
	ids := []string{"a", "b", "c"}
	at := func(pos uint64) string { return ids[pos%3] }
	s := newIDSet(4)
	// "b" finds its hash taken by "a" at position 0, as if they collided.
	s.first[maphash.String(s.seed, "b")] = 0
	steps := []struct {
		id    string
		pos   uint64
		first uint64
		seen  bool
	}{
		{"b", 1, 1, false}, // the collision: not a duplicate, kept apart
		{"c", 2, 2, false},
		{"b", 4, 1, true},
		{"c", 5, 2, true},
	}
	for _, st := range steps {
		if first, seen := s.add(st.id, st.pos, at); first != st.first || seen != st.seen {
			t.Fatalf("add(%q, %d) = %d, %t; want %d, %t", st.id, st.pos, first, seen, st.first, st.seen)
		}
	}
}
