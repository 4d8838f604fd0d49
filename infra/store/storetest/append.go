package storetest

import (
	"errors"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// testAppend checks optimistic concurrency and validation. Given stream "s" at
// version 2 and stream "t" at version 1, each case appends once to a fresh
// store and expects either the version its first event gets, or an error of
// a kind, in which case nothing at all is appended.
func testAppend(t *testing.T, open func(t *testing.T) store.Backend) {
	tests := []struct {
		name        string
		stream      string
		expected    uint64
		events      []store.Event
		wantVersion uint64
		wantErr     error
	}{
		{"current version", "s", 2, events("n1", "n2"), 3, nil},
		{"new stream at 0", "u", 0, events("n1"), 1, nil},
		{"stale version", "s", 1, events("n1"), 0, domain.ErrConflict},
		{"stale zero on existing stream", "s", 0, events("n1"), 0, domain.ErrConflict},
		{"ahead of stream", "s", 3, events("n1"), 0, domain.ErrConflict},
		{"ahead of new stream", "u", 1, events("n1"), 0, domain.ErrConflict},
		{"far ahead", "t", 9, events("n1"), 0, domain.ErrConflict},
		{"duplicate event ID", "t", 1, events("s1"), 0, domain.ErrConflict},
		{"duplicate ID within append", "t", 1, events("n1", "n1"), 0, domain.ErrConflict},
		{"all or nothing", "t", 1, events("n1", "n2", "s2"), 0, domain.ErrConflict},
		{"empty append", "s", 2, nil, 0, domain.ErrInvalid},
		{"empty stream name", "", 0, events("n1"), 0, domain.ErrInvalid},
		{"empty event ID", "s", 2, events(""), 0, domain.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := open(t)
			given := append(mustAppend(t, b, "s", 0, event("s1"), event("s2")), mustAppend(t, b, "t", 0, event("t1"))...)
			recs, err := b.Append(t.Context(), tc.stream, tc.expected, tc.events)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Append(%q, %d) = %v, want an error wrapping %v", tc.stream, tc.expected, err, tc.wantErr)
				}
				checkSame(t, "log after a failed append", readAll(t.Context(), t, b), given)
				return
			}
			if err != nil {
				t.Fatalf("Append(%q, %d): %v", tc.stream, tc.expected, err)
			}
			for i, r := range recs {
				if r.Version != tc.wantVersion+uint64(i) || r.Index != uint64(len(given)+i) {
					t.Errorf("record %d has version %d, index %d; want %d, %d", i, r.Version, r.Index, tc.wantVersion+uint64(i), len(given)+i)
				}
			}
			checkSame(t, "log after the append", readAll(t.Context(), t, b), append(given, recs...))
		})
	}
}
