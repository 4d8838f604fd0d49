package statuslist

import (
	"errors"
	"sync"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/credentials/internal/dbtest"
	"github.com/erasmus-ledger/ledger/infra/store"
)

const (
	issuerA = "E10208051"
	issuerB = "E10151149"
)

func TestAllocate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, b store.Backend) {
		a := NewAllocator(b.DB())
		ctx := t.Context()
		rev, err := a.Allocate(ctx, issuerA, Revocation, "c1")
		if err != nil {
			t.Fatal(err)
		}
		again, err := a.Allocate(ctx, issuerA, Revocation, "c1")
		if err != nil || again != rev {
			t.Fatalf("second allocation for c1: %+v, %v; want the first, %+v", again, err, rev)
		}
		sus, err := a.Allocate(ctx, issuerA, Suspension, "c1")
		if err != nil {
			t.Fatal(err)
		}
		other, err := a.Allocate(ctx, issuerB, Revocation, "c2")
		if err != nil {
			t.Fatal(err)
		}
		if sus.List == rev.List || other.List == rev.List {
			t.Errorf("lists %s, %s, %s: want one per issuer and purpose", rev.List, sus.List, other.List)
		}
		checkList(t, a, rev, List{IssuerOID: issuerA, Purpose: Revocation, Seq: 1, Size: MinSize})
		checkList(t, a, sus, List{IssuerOID: issuerA, Purpose: Suspension, Seq: 1, Size: MinSize})
		checkList(t, a, other, List{IssuerOID: issuerB, Purpose: Revocation, Seq: 1, Size: MinSize})
		if _, err := a.List(ctx, "nope"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("List(nope) = %v, want NotFound", err)
		}
	})
}

func checkList(t *testing.T, a *Allocator, e Entry, want List) {
	t.Helper()
	l, err := a.List(t.Context(), e.List)
	if err != nil {
		t.Fatal(err)
	}
	want.ID = e.List
	if l != want || e.Index < 0 || e.Index >= l.Size {
		t.Errorf("entry %+v in list %+v, want list %+v", e, l, want)
	}
}

// TestAllocateConcurrently has many goroutines allocate at once, in lists
// small enough to fill: no two credentials may share a bit, and full lists
// must give way to new ones.
func TestAllocateConcurrently(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, b store.Backend) {
		a := &Allocator{db: b.DB(), size: 64}
		const workers, each = 8, 20
		entries := make(chan Entry, workers*each)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					e, err := a.Allocate(t.Context(), issuerA, Revocation, credentialID(w, i))
					if err != nil {
						t.Error(err)
						return
					}
					entries <- e
				}
			})
		}
		wg.Wait()
		close(entries)
		seen := map[Entry]bool{}
		lists := map[string]bool{}
		for e := range entries {
			if seen[e] {
				t.Errorf("bit %+v allocated twice", e)
			}
			seen[e] = true
			lists[e.List] = true
		}
		if len(seen) != workers*each || len(lists) < workers*each/64+1 {
			t.Errorf("%d bits in %d lists of 64; want %d bits, in at least %d lists", len(seen), len(lists), workers*each, workers*each/64+1)
		}
	})
}

func credentialID(worker, i int) string {
	return string(rune('a'+worker)) + "-" + string(rune('a'+i))
}
