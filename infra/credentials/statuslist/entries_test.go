package statuslist

import (
	"testing"

	"github.com/erasmus-ledger/ledger/infra/credentials/internal/dbtest"
	"github.com/erasmus-ledger/ledger/infra/store"
)

func TestEntriesAndHolder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, b store.Backend) {
		a := NewAllocator(b.DB())
		ctx := t.Context()
		want := map[int]string{}
		var list string
		for _, id := range []string{"c1", "c2", "c3"} {
			e, err := a.Allocate(ctx, issuerA, Revocation, id)
			if err != nil {
				t.Fatal(err)
			}
			want[e.Index], list = id, e.List
		}
		entries, err := a.Entries(ctx, list)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != len(want) {
			t.Fatalf("Entries = %v, want the bits of %v", entries, want)
		}
		for i, e := range entries {
			if want[e.Index] != e.CredentialID || (i > 0 && entries[i-1].Index >= e.Index) {
				t.Errorf("entry %+v: want credential %s, in index order", e, want[e.Index])
			}
			if holder, ok, err := a.Holder(ctx, list, e.Index); err != nil || !ok || holder != e.CredentialID {
				t.Errorf("Holder(%d) = %s, %v, %v; want %s", e.Index, holder, ok, err, e.CredentialID)
			}
		}
		free := 0
		for want[free] != "" {
			free++
		}
		if _, ok, err := a.Holder(ctx, list, free); ok || err != nil {
			t.Errorf("Holder(%d) of a free bit = %v, %v", free, ok, err)
		}
		if entries, err := a.Entries(ctx, "nope"); err != nil || len(entries) != 0 {
			t.Errorf("Entries(nope) = %v, %v", entries, err)
		}
	})
}
