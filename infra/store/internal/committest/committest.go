// Package committest checks a backend's groupcommit.CommitFunc on batches
// that mix good and faulty requests: exactly the faulty ones must fail.
// Concurrent appends make such batches only by chance; here they are built.
package committest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

// Run commits each batch of its table with the commit func of a new store
// made by open. Given stream "s" at version 2 and "t" at version 1 (event
// "t1-0"), it checks the versions each request gets, or its conflict, and
// that the log stays gapless.
func Run(t *testing.T, open func(t *testing.T) (store.Backend, groupcommit.CommitFunc)) {
	tests := []struct {
		name  string
		batch []*groupcommit.Request
		want  []string // Per request: the versions it got, or "conflict".
	}{
		{"all good", []*groupcommit.Request{Req("s", 2, "a", 2), Req("t", 1, "b", 1), Req("u", 0, "c", 1)},
			[]string{"3 4", "2", "1"}},
		{"one stale among good", []*groupcommit.Request{Req("u", 0, "a", 1), Req("s", 1, "b", 1), Req("t", 1, "c", 1)},
			[]string{"1", "conflict", "2"}},
		{"one ahead among good", []*groupcommit.Request{Req("u", 0, "a", 1), Req("s", 5, "b", 1), Req("t", 1, "c", 1)},
			[]string{"1", "conflict", "2"}},
		{"duplicate ID among good", []*groupcommit.Request{Req("u", 0, "a", 1), Req("v", 0, "t1", 1), Req("t", 1, "c", 1)},
			[]string{"1", "conflict", "2"}},
		{"second event a duplicate", []*groupcommit.Request{Req("u", 0, "a", 1), withID(Req("v", 0, "b", 2), 1, "s-1"), Req("t", 1, "c", 1)},
			[]string{"1", "conflict", "2"}},
		{"same version twice", []*groupcommit.Request{Req("s", 2, "a", 1), Req("s", 2, "b", 1), Req("s", 3, "c", 1)},
			[]string{"3", "conflict", "4"}},
		{"same version twice, nothing after", []*groupcommit.Request{Req("s", 2, "a", 1), Req("s", 2, "b", 1)},
			[]string{"3", "conflict"}},
		{"chain after a stale head", []*groupcommit.Request{Req("s", 1, "a", 1), Req("s", 2, "b", 1)},
			[]string{"conflict", "3"}},
		{"chain after an ahead head", []*groupcommit.Request{Req("s", 5, "a", 1), Req("s", 6, "b", 1)},
			[]string{"conflict", "conflict"}},
		{"later version first", []*groupcommit.Request{Req("u", 1, "a", 1), Req("u", 0, "b", 1)},
			[]string{"conflict", "1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, commit := open(t)
			given(t, b)
			commit(t.Context(), tc.batch)
			appended := 3
			for i, r := range tc.batch {
				got, n := outcome(t, r)
				appended += n
				if got != tc.want[i] {
					t.Errorf("request %d (%s@%d) got %s, want %s", i, r.Stream, r.Expected, got, tc.want[i])
				}
			}
			checkGapless(t, b, appended)
		})
	}
}

// Req is a request to append n events with IDs prefix-0.. to stream.
func Req(stream string, expected uint64, prefix string, n int) *groupcommit.Request {
	evs := make([]store.Event, n)
	for i := range evs {
		evs[i] = store.Event{ID: fmt.Sprintf("%s-%d", prefix, i), Type: "test.happened", Schema: 1, Data: []byte(`{}`)}
	}
	return &groupcommit.Request{Stream: stream, Expected: expected, Events: evs}
}

// withID gives event i of r the ID id.
func withID(r *groupcommit.Request, i int, id string) *groupcommit.Request {
	r.Events[i].ID = id
	return r
}

// given appends the events every case starts from.
func given(t *testing.T, b store.Backend) {
	for _, r := range []*groupcommit.Request{Req("s", 0, "s", 2), Req("t", 0, "t1", 1)} {
		if _, err := b.Append(t.Context(), r.Stream, r.Expected, r.Events); err != nil {
			t.Fatal(err)
		}
	}
}

// outcome describes r's answer as its versions or "conflict", and counts its
// events.
func outcome(t *testing.T, r *groupcommit.Request) (string, int) {
	recs, err := r.Result()
	switch {
	case errors.Is(err, domain.ErrConflict):
		return "conflict", 0
	case err != nil:
		t.Errorf("request on %s: %v", r.Stream, err)
		return err.Error(), 0
	}
	var versions []string
	for _, rec := range recs {
		versions = append(versions, fmt.Sprint(rec.Version))
	}
	return strings.Join(versions, " "), len(recs)
}

// checkGapless requires the log to hold exactly indexes 0..n-1 in order, each
// stream's versions from 1 on without a gap.
func checkGapless(t *testing.T, b store.Backend, n int) {
	t.Helper()
	recs, err := b.ReadLog(t.Context(), 0, n+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n {
		t.Fatalf("the log holds %d events, want %d", len(recs), n)
	}
	versions := map[string]uint64{}
	for i, r := range recs {
		if r.Index != uint64(i) || r.Version != versions[r.Stream]+1 {
			t.Errorf("log[%d] is index %d, version %d of %s", i, r.Index, r.Version, r.Stream)
		}
		versions[r.Stream] = r.Version
	}
}
