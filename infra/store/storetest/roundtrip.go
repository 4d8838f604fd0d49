package storetest

import (
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// testRoundTrip appends events with every field set and reads them back
// through Append's result, ReadStream and ReadLog.
func testRoundTrip(t *testing.T, open func(t *testing.T) store.Backend) {
	b := open(t)
	binary := make([]byte, 256)
	for i := range binary {
		binary[i] = byte(i)
	}
	in := []store.Event{
		{ID: "ev-1", Type: "mobility.planned", Schema: 2,
			Data: []byte("{\"z\": 1,\n  \"a\":\"\\u00e9t\u00e9 \u2713\", \"n\":1.50}"),
			Meta: store.Metadata{Actor: "issuer:E10208051", CorrelationID: "c-1", CausationID: "k-0", IdempotencyKey: "idem-1"}},
		{ID: "ev-2", Type: "participant.enrolled", Schema: 1, Data: binary},
	}
	start := time.Now()
	got := mustAppend(t, b, "mobility-1", 0, in...)
	want := []store.Record{
		{Index: 0, ID: "ev-1", Stream: "mobility-1", Version: 1, Type: in[0].Type, Schema: 2, Data: in[0].Data, Meta: in[0].Meta},
		{Index: 1, ID: "ev-2", Stream: "mobility-1", Version: 2, Type: in[1].Type, Schema: 1, Data: binary},
	}
	for i := range want {
		checkRecordedAt(t, got[i].RecordedAt, start)
		want[i].RecordedAt = got[i].RecordedAt
	}
	checkSame(t, "Append", got, want)
	stream, err := b.ReadStream(t.Context(), "mobility-1")
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, "ReadStream", stream, want)
	checkSame(t, "ReadLog", readAll(t.Context(), t, b), want)
	testFollowUp(t, b, want)
}

// checkRecordedAt requires a microsecond time close to the append.
func checkRecordedAt(t *testing.T, at, start time.Time) {
	t.Helper()
	if !at.Equal(at.Truncate(time.Microsecond)) {
		t.Errorf("RecordedAt %v has more than microsecond precision", at)
	}
	if at.Before(start.Add(-time.Minute)) || at.After(time.Now().Add(time.Minute)) {
		t.Errorf("RecordedAt %v is not the time of an append made at %v", at, start)
	}
}

// testFollowUp appends to the same stream and to another after the events of
// want, and checks indexes and versions continue.
func testFollowUp(t *testing.T, b store.Backend, want []store.Record) {
	more := mustAppend(t, b, "mobility-1", 2, event("ev-3"))
	other := mustAppend(t, b, "mobility-2", 0, event("ev-4"))
	if more[0].Index != 2 || more[0].Version != 3 || other[0].Index != 3 || other[0].Version != 1 {
		t.Errorf("follow-up appends got (index, version) (%d, %d) and (%d, %d), want (2, 3) and (3, 1)",
			more[0].Index, more[0].Version, other[0].Index, other[0].Version)
	}
	n, err := b.Size(t.Context())
	if err != nil || n != 4 {
		t.Errorf("Size = %d, %v; want 4", n, err)
	}
	stream, err := b.ReadStream(t.Context(), "mobility-1")
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, "ReadStream after follow-up", stream, append(want, more...))
}
