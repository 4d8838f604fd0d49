package bus_test

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/bus"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/gen"
	"github.com/erasmus-ledger/ledger/infra/pii"
	"github.com/erasmus-ledger/ledger/infra/secrets"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/pgstore"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
	"github.com/erasmus-ledger/ledger/infra/store/sqlitestore"
)

func open(t *testing.T, kind string) (store.Backend, *codec.Codec) {
	t.Helper()
	ctx := context.Background()
	var (
		b   store.Backend
		err error
	)
	if kind == "postgres" {
		b, err = pgstore.Open(ctx, pgtest.URL(t), pgstore.Options{})
	} else {
		b, err = sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "ledger.db"), sqlitestore.Options{})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	master, err := secrets.NewAEAD(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return b, codec.New(pii.NewKeyring(b.DB(), master), organisation.EventTypes(), participant.EventTypes(),
		mobility.EventTypes(), credential.EventTypes())
}

// seen records which log indexes a consumer received, and how often.
type seen struct {
	mu    sync.Mutex
	count map[uint64]int
	order []uint64
}

func (s *seen) handle(ctx context.Context, index uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count[index]++
	s.order = append(s.order, index)
	return nil
}

// waitFor fails t unless every index in [from, to) is seen within a while.
// The while is long: watermill-sql delivers a message only once every
// transaction older than the one that inserted it has ended, on the whole
// server, and tests of other packages may hold long ones.
func (s *seen) waitFor(t *testing.T, from, to uint64) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		s.mu.Lock()
		missing := 0
		for i := from; i < to; i++ {
			if s.count[i] == 0 {
				missing++
			}
		}
		s.mu.Unlock()
		if missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of the events %d..%d never arrived", missing, from, to-1)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// running is a bus started by a test, as one process would run it.
type running struct {
	stop func()
	done chan error
}

func startBus(t *testing.T, b store.Backend, consumer string, s *seen) running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	bs, err := bus.New(ctx, bus.Config{Backend: b})
	if err != nil {
		t.Fatal(err)
	}
	if err := bs.Consume(consumer, s.handle); err != nil {
		t.Fatal(err)
	}
	r := running{stop: cancel, done: make(chan error, 1)}
	go func() { r.done <- bs.Run(ctx) }()
	return r
}

func (r running) close(t *testing.T) {
	t.Helper()
	r.stop()
	if err := <-r.done; err != nil {
		t.Fatalf("bus run: %v", err)
	}
}

func TestDeliveryThroughPostgresSurvivesARestart(t *testing.T) {
	t.Parallel()
	b, c := open(t, "postgres")
	appends, err := gen.Encode(context.Background(), c, gen.Events(900, 11))
	if err != nil {
		t.Fatal(err)
	}
	load := func(from, to int) {
		if err := gen.Load(context.Background(), b, appends[from:to], 8); err != nil {
			t.Fatal(err)
		}
	}
	load(0, 300) // before the bus ever ran: consumers read these from the log
	s := &seen{count: map[uint64]int{}}
	first := startBus(t, b, "projection-a", s)
	waitRelayStarted(t, b)
	load(300, 600)
	s.waitFor(t, 300, 600)
	first.close(t)

	load(600, 900) // while no consumer runs
	second := startBus(t, b, "projection-a", s)
	defer second.close(t)
	s.waitFor(t, 600, 900)

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.count[299] != 0 {
		t.Errorf("an event committed before the relay started was published")
	}
	for i := 1; i < len(s.order); i++ {
		if s.order[i] <= s.order[i-1] && s.count[s.order[i]] == 1 {
			t.Errorf("event %d arrived after %d", s.order[i], s.order[i-1])
		}
	}
}

// waitRelayStarted waits until the relay has recorded where it starts.
func waitRelayStarted(t *testing.T, b store.Backend) {
	t.Helper()
	for range 500 {
		var n int
		if err := b.DB().QueryRow(`SELECT count(*) FROM bus_relay`).Scan(&n); err == nil && n == 1 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the relay never started")
}

func TestDeliveryInProcess(t *testing.T) {
	t.Parallel()
	b, c := open(t, "sqlite")
	appends, err := gen.Encode(context.Background(), c, gen.Events(400, 12))
	if err != nil {
		t.Fatal(err)
	}
	s := &seen{count: map[uint64]int{}}
	r := startBus(t, b, "projection-a", s)
	defer r.close(t)
	time.Sleep(100 * time.Millisecond) // let the relay note the head before the first append
	if err := gen.Load(context.Background(), b, appends, 8); err != nil {
		t.Fatal(err)
	}
	s.waitFor(t, 0, 400)
}
