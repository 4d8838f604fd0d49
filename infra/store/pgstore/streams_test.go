package pgstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/storetest"
)

// held makes every ReadStream of s wait for a shared query until the
// returned func lets them go, once n of them wait.
func held(t *testing.T, s *Store) func(n int) {
	r := &s.streams
	r.mu.Lock()
	r.running = r.limit
	r.mu.Unlock()
	return func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			r.mu.Lock()
			waiting := len(r.waiting)
			r.mu.Unlock()
			if waiting == n {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d reads wait, want %d", waiting, n)
			}
		}
		for range r.limit {
			r.finish()
		}
	}
}

func TestWaitingStreamReadsShareAQueryAndGetTheirOwnStreams(t *testing.T) {
	t.Parallel()
	s := open(t, Options{})
	ctx := context.Background()
	want := map[string][]store.Record{"empty": nil}
	for i := range 5 {
		stream := fmt.Sprint("s", i)
		for v := range i + 1 {
			recs, err := s.Append(ctx, stream, uint64(v), []store.Event{storetest.BenchEvent(fmt.Sprint(stream, "-", v))})
			if err != nil {
				t.Fatal(err)
			}
			want[stream] = append(want[stream], recs...)
		}
	}
	reads := []string{"s0", "s1", "s2", "s3", "s4", "s2", "empty", "s4"}
	release := held(t, s)
	type answer struct {
		recs []store.Record
		err  error
	}
	answers := make([]chan answer, len(reads))
	for i, stream := range reads {
		answers[i] = make(chan answer, 1)
		go func() {
			recs, err := s.ReadStream(ctx, stream)
			answers[i] <- answer{recs, err}
		}()
	}
	release(len(reads))
	for i, stream := range reads {
		a := <-answers[i]
		if a.err != nil || !reflect.DeepEqual(a.recs, want[stream]) {
			t.Errorf("ReadStream(%s) = %v, %v; want %v", stream, a.recs, a.err, want[stream])
		}
	}
}

func TestWaitingStreamReadGivesUpWithItsContext(t *testing.T) {
	t.Parallel()
	s := open(t, Options{})
	if _, err := s.Append(context.Background(), "s", 0, []store.Event{storetest.BenchEvent("e1")}); err != nil {
		t.Fatal(err)
	}
	release := held(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() { _, err := s.ReadStream(ctx, "s"); gaveUp <- err }()
	patient := make(chan []store.Record, 1)
	go func() { recs, _ := s.ReadStream(context.Background(), "s"); patient <- recs }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		s.streams.mu.Lock()
		n := len(s.streams.waiting)
		s.streams.mu.Unlock()
		if n == 2 || time.Now().After(deadline) {
			break
		}
	}
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: err = %v, want context.Canceled", err)
	}
	release(2)
	if recs := <-patient; len(recs) != 1 {
		t.Errorf("the read sharing the query got %d records, want 1", len(recs))
	}
}
