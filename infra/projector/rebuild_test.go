package projector_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/gen"
	"github.com/erasmus-ledger/ledger/infra/projector"
	"github.com/erasmus-ledger/ledger/infra/store"
)

func TestRebuildWhileWritesContinue(t *testing.T) {
	t.Parallel()
	for _, kind := range backends {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			b := open(t, kind)
			c := newCodec(t, b)
			appends := generate(t, c, 2400, 4)
			load(t, b, appends[:1200])
			r := runner(t, b, c, 100, 150)
			ctx := context.Background()
			if err := r.CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
			genBefore := liveGenerations(t, b)

			// While the rebuild runs, the log grows and deliveries keep the
			// live read models current.
			var wg sync.WaitGroup
			stop := make(chan struct{})
			wg.Go(func() {
				if err := gen.Load(ctx, b, appends[1200:], 4); err != nil {
					t.Error(err)
				}
			})
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := r.CatchUp(ctx); err != nil {
						t.Error(err)
						return
					}
				}
			})
			rebuilt := 0
			res, err := r.Rebuild(ctx, nil, func(projector.Progress) { rebuilt++ })
			if err != nil {
				t.Fatal(err)
			}
			close(stop)
			wg.Wait()
			if rebuilt == 0 || res.Events < 1200 {
				t.Errorf("the rebuild committed %d times and folded %d events", rebuilt, res.Events)
			}
			for name, g := range liveGenerations(t, b) {
				if g == genBefore[name] {
					t.Errorf("%s: still generation %d after the rebuild", name, g)
				}
			}
			if err := r.CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
			same(t, b, expected(t, b, c), size(t, b))
			var left int
			if err := b.DB().QueryRow(`SELECT count(*) FROM read_models r JOIN projection_state s ON s.projection = r.projection
				WHERE r.generation <> s.live_generation`).Scan(&left); err != nil || left != 0 {
				t.Errorf("%d documents of replaced generations are left (%v)", left, err)
			}
		})
	}
}

// liveGenerations returns each read model's live generation.
func liveGenerations(t *testing.T, b store.Backend) map[string]int64 {
	t.Helper()
	rows, err := b.DB().Query(`SELECT projection, live_generation FROM projection_state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var g int64
		if err := rows.Scan(&name, &g); err != nil {
			t.Fatal(err)
		}
		out[name] = g
	}
	return out
}

func TestOneRebuildAtATime(t *testing.T) {
	t.Parallel()
	b := open(t, "postgres")
	c := newCodec(t, b)
	load(t, b, generate(t, c, 3000, 5))
	r := runner(t, b, c, 200, 400)
	ctx := context.Background()
	started := make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		_, err := r.Rebuild(ctx, []string{"transcript"}, func(projector.Progress) {
			once.Do(func() { close(started) })
			time.Sleep(50 * time.Millisecond)
		})
		done <- err
	}()
	<-started
	_, err := runner(t, b, c, 0, 0).Rebuild(ctx, []string{"transcript"}, nil)
	if !errors.Is(err, domain.ErrConflict) {
		t.Errorf("a second rebuild during the first: %v, want a conflict", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := r.Rebuild(ctx, []string{"transcript"}, nil); err != nil {
		t.Errorf("a rebuild after the first ended: %v", err)
	}
	if _, err := r.Rebuild(ctx, []string{"nosuch"}, nil); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("rebuild of an unknown projection: %v", err)
	}
}

func TestReadyWhileLagIsBounded(t *testing.T) {
	t.Parallel()
	b := open(t, "sqlite")
	c := newCodec(t, b)
	load(t, b, generate(t, c, 300, 6))
	r, err := projector.New(context.Background(), projector.Config{Backend: b, Codec: c, Projections: all(), MaxLag: 100})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Ready(context.Background()); err == nil {
		t.Error("ready while 300 events behind with a bound of 100")
	}
	if err := r.Deliver(context.Background(), "transcript", 250); err != nil {
		t.Fatal(err)
	}
	if err := r.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := r.Ready(context.Background()); err != nil {
		t.Errorf("not ready once caught up: %v", err)
	}
}

// TestRebuildBeyondItsCache rebuilds with room for far fewer documents than
// the read models hold, so the rebuild commits, drops documents from memory
// and reads them back as later events change them, then rebuilds again over
// a generation that is not empty.
func TestRebuildBeyondItsCache(t *testing.T) {
	t.Parallel()
	for _, kind := range backends {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			b := open(t, kind)
			c := newCodec(t, b)
			load(t, b, generate(t, c, 3000, 7))
			r, err := projector.New(context.Background(), projector.Config{Backend: b, Codec: c, Projections: all(),
				ReadBatch: 100, FlushEvery: 200, RebuildCache: 40})
			if err != nil {
				t.Fatal(err)
			}
			want := expected(t, b, c)
			for range 2 {
				if _, err := r.Rebuild(context.Background(), nil, nil); err != nil {
					t.Fatal(err)
				}
				same(t, b, want, size(t, b))
			}
		})
	}
}
