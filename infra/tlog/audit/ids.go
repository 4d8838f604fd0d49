package audit

import "hash/maphash"

// idSet remembers where each event ID was first recorded. Its main map is
// keyed by a seeded 64-bit hash of the ID: it holds no pointers for the
// garbage collector to scan, and a lookup compares no strings. An ID whose
// hash a different, earlier ID already has goes to a second map of its own,
// so a collision hides no duplicate and invents none.
type idSet struct {
	seed   maphash.Seed
	first  map[uint64]uint64 // the hash of an ID → the position of its first entry
	others map[string]uint64 // IDs whose hash was taken → their first position
}

func newIDSet(capacity uint64) *idSet {
	return &idSet{seed: maphash.MakeSeed(), first: make(map[uint64]uint64, capacity), others: map[string]uint64{}}
}

// add records id at position pos unless it was recorded before, and returns
// the position id was first recorded at and whether that was before. idAt
// is the ID recorded at an earlier position.
func (s *idSet) add(id string, pos uint64, idAt func(uint64) string) (first uint64, seen bool) {
	h := maphash.String(s.seed, id)
	p, taken := s.first[h]
	switch {
	case !taken:
		s.first[h] = pos
		return pos, false
	case idAt(p) == id:
		return p, true
	}
	if p, ok := s.others[id]; ok {
		return p, true
	}
	s.others[id] = pos
	return pos, false
}
