// Package storetest is the conformance suite of store.Backend: one set of
// tests that every backend runs against itself, so both meet one contract.
package storetest

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// Run checks the backends made by open against store.Backend's contract. Each
// subtest runs in parallel on its own store; open must return a new, empty
// store and close it when its test ends (with t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) store.Backend) {
	tests := []struct {
		name string
		test func(t *testing.T, open func(t *testing.T) store.Backend)
	}{
		{"RoundTrip", testRoundTrip},
		{"Append", testAppend},
		{"Concurrent", testConcurrent},
		{"TailNeverSkips", testTail},
		{"Watch", testWatch},
		{"AppendOnly", testAppendOnly},
		{"ReadLog", testReadLog},
		{"ScanLog", testScanLog},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.test(t, open)
		})
	}
}

// event is an event to append with a distinct ID and payload.
func event(id string) store.Event {
	return store.Event{
		ID: id, Type: "test.happened", Schema: 1,
		Data: fmt.Appendf(nil, `{"id":%q}`, id),
		Meta: store.Metadata{Actor: "tester", CorrelationID: "corr-" + id},
	}
}

// events are events with the given IDs.
func events(ids ...string) []store.Event {
	evs := make([]store.Event, len(ids))
	for i, id := range ids {
		evs[i] = event(id)
	}
	return evs
}

// mustAppend appends or fails the test.
func mustAppend(t *testing.T, b store.Backend, stream string, expected uint64, evs ...store.Event) []store.Record {
	t.Helper()
	recs, err := b.Append(t.Context(), stream, expected, evs)
	if err != nil {
		t.Fatalf("Append(%s, %d): %v", stream, expected, err)
	}
	return recs
}

// readAll reads the whole log in batches of 100.
func readAll(ctx context.Context, t *testing.T, b store.Backend) []store.Record {
	t.Helper()
	var all []store.Record
	for {
		recs, err := b.ReadLog(ctx, uint64(len(all)), 100)
		if err != nil {
			t.Fatalf("ReadLog(%d, 100): %v", len(all), err)
		}
		if len(recs) == 0 {
			return all
		}
		all = append(all, recs...)
	}
}

// sameRecord reports whether a and b are the same stored event: every field
// equal, payload bytes exactly, times as instants.
func sameRecord(a, b store.Record) bool {
	return a.Index == b.Index && a.ID == b.ID && a.Stream == b.Stream && a.Version == b.Version &&
		a.Type == b.Type && a.Schema == b.Schema && bytes.Equal(a.Data, b.Data) && a.Meta == b.Meta &&
		a.RecordedAt.Equal(b.RecordedAt)
}

// checkSame fails the test unless got and want hold the same records.
func checkSame(t *testing.T, what string, got, want []store.Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d records, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !sameRecord(got[i], want[i]) {
			t.Errorf("%s[%d]:\n got %+v\nwant %+v", what, i, got[i], want[i])
		}
	}
}
