package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// The shape of the concurrent load: writers goroutines each make appends
// appends of one to three events, alternating between a stream of their own
// and one of sharedStreams streams that all writers contend for.
const (
	writers       = 32
	appends       = 50
	sharedStreams = 4
)

// testConcurrent appends from many goroutines at once and checks the log.
func testConcurrent(t *testing.T, open func(t *testing.T) store.Backend) {
	b := open(t)
	var (
		mu       sync.Mutex
		appended []store.Record
		wg       sync.WaitGroup
		known    versions
	)
	for w := range writers {
		wg.Go(func() {
			recs := write(t, b, &known, w, appends)
			mu.Lock()
			defer mu.Unlock()
			appended = append(appended, recs...)
		})
	}
	wg.Wait()
	checkLog(t, b, appended)
}

// versions are the stream versions the writers of a test have seen.
type versions struct {
	mu sync.Mutex
	m  map[string]uint64
}

// get is the latest version of stream seen.
func (v *versions) get(stream string) uint64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.m[stream]
}

// saw records that stream reached version n.
func (v *versions) saw(stream string, n uint64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil {
		v.m = map[string]uint64{}
	}
	v.m[stream] = max(v.m[stream], n)
}

// write makes writer w's n appends and returns what they stored.
func write(t *testing.T, b store.Backend, known *versions, w, n int) []store.Record {
	var recs []store.Record
	for i := range n {
		stream := fmt.Sprintf("own-%d", w)
		if i%2 == 1 {
			stream = fmt.Sprintf("shared-%d", (w+i)%sharedStreams)
		}
		evs := make([]store.Event, 1+(w+i)%3)
		for k := range evs {
			evs[k] = event(fmt.Sprintf("w%d-a%d-e%d", w, i, k))
		}
		got, err := appendRetrying(t, b, known, stream, evs)
		if err != nil {
			t.Errorf("writer %d: %v", w, err)
			return recs
		}
		recs = append(recs, got...)
	}
	return recs
}

// appendRetrying appends evs to stream at the latest version seen. On a
// conflict it tries again at the version the winning writer reports, or, if
// none does soon, at the version the stream is read to have.
func appendRetrying(t *testing.T, b store.Backend, known *versions, stream string, evs []store.Event) ([]store.Record, error) {
	expected := known.get(stream)
	for {
		recs, err := b.Append(t.Context(), stream, expected, evs)
		if err == nil {
			known.saw(stream, recs[len(recs)-1].Version)
			return recs, nil
		}
		if !errors.Is(err, domain.ErrConflict) {
			return nil, err
		}
		if expected, err = newerVersion(t, b, known, stream, expected); err != nil {
			return nil, err
		}
	}
}

// newerVersion waits briefly for a writer to report a version of stream other
// than stale, and reads the stream if none does.
func newerVersion(t *testing.T, b store.Backend, known *versions, stream string, stale uint64) (uint64, error) {
	for range 20 {
		if v := known.get(stream); v != stale {
			return v, nil
		}
		time.Sleep(time.Millisecond)
	}
	all, err := b.ReadStream(t.Context(), stream)
	return uint64(len(all)), err
}

// checkLog checks the whole log against the records successful appends
// returned: indexes 0..n-1, each stream's versions 1..k in index order, no
// event twice, times never decreasing, and every appended record stored as
// returned.
func checkLog(t *testing.T, b store.Backend, appended []store.Record) {
	t.Helper()
	log := readAll(t.Context(), t, b)
	if len(log) != len(appended) {
		t.Fatalf("log holds %d events, successful appends returned %d", len(log), len(appended))
	}
	if n, err := b.Size(t.Context()); err != nil || n != uint64(len(log)) {
		t.Errorf("Size = %d, %v; want %d", n, err, len(log))
	}
	versions, ids := map[string]uint64{}, map[string]bool{}
	for i, r := range log {
		if r.Index != uint64(i) {
			t.Fatalf("log[%d] has index %d", i, r.Index)
		}
		if r.Version != versions[r.Stream]+1 {
			t.Errorf("log[%d] is version %d of %s, which was at %d", i, r.Version, r.Stream, versions[r.Stream])
		}
		versions[r.Stream] = r.Version
		if ids[r.ID] {
			t.Errorf("log[%d]: event %s is stored twice", i, r.ID)
		}
		ids[r.ID] = true
		if i > 0 && r.RecordedAt.Before(log[i-1].RecordedAt) {
			t.Errorf("log[%d] was recorded at %v, before log[%d] at %v", i, r.RecordedAt, i-1, log[i-1].RecordedAt)
		}
	}
	for _, r := range appended {
		if r.Index >= uint64(len(log)) || !sameRecord(r, log[r.Index]) {
			t.Errorf("appended record %+v is not in the log as returned", r)
		}
	}
}
