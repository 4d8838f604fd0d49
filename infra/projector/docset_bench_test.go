package projector

import (
	"context"
	"fmt"
	"testing"

	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// BenchmarkDocSet reports the cost of what a fold does with its documents:
// 200,000 changes, through Get and Put, to 50,000 documents, which are then
// encoded, as a rebuild's last commit does.
func BenchmarkDocSet(b *testing.B) {
	ctx := context.Background()
	keys := make([]string, 50_000)
	for i := range keys {
		keys[i] = fmt.Sprintf("m/%08d-%08d", i*7919%50_000, i)
	}
	for b.Loop() {
		s := newDocSet(transcript.Projection{}, nil, true)
		for i := range 200_000 {
			k := keys[i*31%len(keys)]
			d, err := s.Get(ctx, k)
			if err != nil {
				b.Fatal(err)
			}
			m, _ := d.(*transcript.Mobility)
			if m == nil {
				m = &transcript.Mobility{ID: k}
			}
			m.ProjectCode = k
			s.Put(k, m)
		}
		if _, err := s.encode(s.dirtyKeys()); err != nil {
			b.Fatal(err)
		}
	}
}
