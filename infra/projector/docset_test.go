package projector

import (
	"bytes"
	"encoding/json"
	"fmt"
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
	if len(b.keys) != 3_000 || b.fresh != 3_000 || len(s.dirty) != 0 {
		t.Fatalf("%d keys, %d fresh, %d still dirty", len(b.keys), b.fresh, len(s.dirty))
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
