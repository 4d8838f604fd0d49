package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// testReadLog checks reading an empty log, then reading ten events in
// batches: the limit holds, and reading from the end or beyond returns none.
func testReadLog(t *testing.T, open func(t *testing.T) store.Backend) {
	b := open(t)
	checkEmpty(t, b)
	for i := range 10 {
		stream := fmt.Sprintf("s%d", i%3)
		mustAppend(t, b, stream, uint64(i/3), event(fmt.Sprintf("e%d", i)))
	}
	tests := []struct {
		from  uint64
		limit int
		want  []uint64
	}{
		{0, 3, []uint64{0, 1, 2}},
		{3, 3, []uint64{3, 4, 5}},
		{8, 5, []uint64{8, 9}},
		{0, 100, []uint64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{9, 1, []uint64{9}},
		{10, 5, nil},
		{1000, 1, nil},
		{1 << 63, 1, nil},
	}
	for _, tc := range tests {
		recs, err := b.ReadLog(t.Context(), tc.from, tc.limit)
		if err != nil {
			t.Fatalf("ReadLog(%d, %d): %v", tc.from, tc.limit, err)
		}
		if got := indexes(recs); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("ReadLog(%d, %d) returned indexes %v, want %v", tc.from, tc.limit, got, tc.want)
		}
	}
	if _, err := b.ReadLog(t.Context(), 0, 0); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("ReadLog(0, 0) = %v, want an error wrapping %v", err, domain.ErrInvalid)
	}
	if n, err := b.Size(t.Context()); err != nil || n != 10 {
		t.Errorf("Size = %d, %v; want 10", n, err)
	}
}

// checkEmpty checks a log without events.
func checkEmpty(t *testing.T, b store.Backend) {
	t.Helper()
	if n, err := b.Size(t.Context()); err != nil || n != 0 {
		t.Errorf("Size of an empty log = %d, %v; want 0", n, err)
	}
	if recs, err := b.ReadLog(t.Context(), 0, 10); err != nil || len(recs) != 0 {
		t.Errorf("ReadLog of an empty log = %d records, %v; want none", len(recs), err)
	}
	if recs, err := b.ReadStream(t.Context(), "missing"); err != nil || len(recs) != 0 {
		t.Errorf("ReadStream of a missing stream = %d records, %v; want none", len(recs), err)
	}
}

// indexes lists the records' log indexes.
func indexes(recs []store.Record) []uint64 {
	var idx []uint64
	for _, r := range recs {
		idx = append(idx, r.Index)
	}
	return idx
}

// testScanLog checks that ScanLog hands over what ReadLog returns, record by
// record, that fn's error stops it and comes back, and that a limit below 1
// is invalid.
func testScanLog(t *testing.T, open func(t *testing.T) store.Backend) {
	b := open(t)
	for i := range 10 {
		mustAppend(t, b, fmt.Sprintf("s%d", i%3), uint64(i/3), event(fmt.Sprintf("e%d", i)))
	}
	for _, tc := range []struct {
		from  uint64
		limit int
	}{{0, 100}, {3, 4}, {9, 1}, {10, 5}, {1 << 63, 1}} {
		want, err := b.ReadLog(t.Context(), tc.from, tc.limit)
		if err != nil {
			t.Fatalf("ReadLog(%d, %d): %v", tc.from, tc.limit, err)
		}
		var got []store.Record
		if err := b.ScanLog(t.Context(), tc.from, tc.limit, store.AppendTo(&got)); err != nil {
			t.Fatalf("ScanLog(%d, %d): %v", tc.from, tc.limit, err)
		}
		checkSame(t, fmt.Sprintf("ScanLog(%d, %d)", tc.from, tc.limit), got, want)
	}
	checkScanStops(t, b)
	if err := b.ScanLog(t.Context(), 0, 0, store.AppendTo(new([]store.Record))); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("ScanLog(0, 0) = %v, want an error wrapping %v", err, domain.ErrInvalid)
	}
}

// checkScanStops checks that ScanLog stops at fn's first error and returns
// it.
func checkScanStops(t *testing.T, b store.Backend) {
	t.Helper()
	stop := errors.New("enough")
	var seen []uint64
	err := b.ScanLog(t.Context(), 2, 100, func(r *store.Record) error {
		seen = append(seen, r.Index)
		if len(seen) == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || fmt.Sprint(seen) != "[2 3 4]" {
		t.Errorf("ScanLog stopped by its callback after %v with %v; want [2 3 4] and %v", seen, err, stop)
	}
}
