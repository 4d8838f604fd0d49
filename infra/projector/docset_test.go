package projector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// TestEncodeWritesEachDocumentAsMarshalDoes encodes more documents than fit
// in one buffer, on every core, and checks that each keeps json.Marshal's
// bytes once all are encoded: no later document overwrites an earlier one.
func TestEncodeWritesEachDocumentAsMarshalDoes(t *testing.T) {
	s := newDocSet(transcript.Projection{}, nil, true)
	for i := range 3_000 {
		title := strings.Repeat(fmt.Sprintf("<%d> ", i), i%400)
		s.Put(fmt.Sprintf("m/%05d", i), &transcript.Mobility{ID: fmt.Sprint(i),
			Outcomes: []transcript.Outcome{{ID: "o", Title: title}}})
	}
	b, err := s.changed()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.keys) != 3_000 || b.fresh != 3_000 || len(s.dirtyKeys()) != 0 {
		t.Fatalf("%d keys, %d fresh, %d still dirty", len(b.keys), b.fresh, len(s.dirtyKeys()))
	}
	for i, k := range b.keys {
		want, err := json.Marshal(s.docs[k].doc)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.docs[i], want) {
			t.Fatalf("%s: got %.80s…, want %.80s…", k, b.docs[i], want)
		}
	}
}

// TestDirtyKeysListEachChangedKeyOnce changes documents again after they
// were encoded, and between two encodings, and checks that each changed key
// is listed once, and no other.
func TestDirtyKeysListEachChangedKeyOnce(t *testing.T) {
	s := newDocSet(transcript.Projection{}, nil, true)
	doc := func(id string) *transcript.Mobility { return &transcript.Mobility{ID: id} }
	s.Put("m/a", doc("a"))
	s.Put("m/b", doc("b"))
	s.Put("m/a", doc("a2"))
	if got := sorted(s.dirtyKeys()); !slices.Equal(got, []string{"m/a", "m/b"}) {
		t.Fatalf("changed keys %v, want m/a and m/b", got)
	}
	if _, err := s.encode([]string{"m/a"}); err != nil {
		t.Fatal(err)
	}
	if got := sorted(s.dirtyKeys()); !slices.Equal(got, []string{"m/b"}) {
		t.Fatalf("after encoding m/a: changed keys %v, want m/b", got)
	}
	s.Put("m/a", doc("a3"))
	s.Put("m/a", doc("a4"))
	s.Put("m/c", doc("c"))
	if got := sorted(s.dirtyKeys()); !slices.Equal(got, []string{"m/a", "m/b", "m/c"}) {
		t.Fatalf("after changing m/a again: changed keys %v, want m/a, m/b and m/c", got)
	}
	b, err := s.changed()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.keys) != 3 || b.fresh != 2 || len(s.dirtyKeys()) != 0 {
		t.Fatalf("encoded %v (%d fresh), %d still changed", b.keys, b.fresh, len(s.dirtyKeys()))
	}
	s.Put("m/b", doc("b2"))
	s.committed(100)
	if got := s.dirtyKeys(); len(got) != 0 {
		t.Fatalf("changed keys %v after a commit", got)
	}
	s.Put("m/b", doc("b3"))
	if got := s.dirtyKeys(); !slices.Equal(got, []string{"m/b"}) {
		t.Fatalf("changed keys %v after a commit and a change, want m/b", got)
	}
}

func sorted(keys []string) []string { slices.Sort(keys); return keys }
