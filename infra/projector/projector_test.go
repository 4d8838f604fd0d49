package projector_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

func TestCatchUpFoldsTheWholeLog(t *testing.T) {
	t.Parallel()
	for _, kind := range backends {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			b := open(t, kind)
			c := newCodec(t, b)
			load(t, b, generate(t, c, 2000, 1))
			r := runner(t, b, c, 500, 700)
			if err := r.CatchUp(context.Background()); err != nil {
				t.Fatal(err)
			}
			same(t, b, expected(t, b, c), size(t, b))
		})
	}
}

func TestDuplicatedAndReorderedDeliveries(t *testing.T) {
	t.Parallel()
	for _, kind := range backends {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			b := open(t, kind)
			c := newCodec(t, b)
			load(t, b, generate(t, c, 500, 2))
			head := size(t, b)
			// Every index twice, shuffled: duplicates, gaps and late arrivals.
			var order []uint64
			for i := range head {
				order = append(order, i, i)
			}
			rand.New(rand.NewPCG(2, 2)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			r := runner(t, b, c, 7, 100)
			for _, idx := range order {
				for _, name := range r.Names() {
					if err := r.Deliver(context.Background(), name, idx); err != nil {
						t.Fatal(err)
					}
				}
			}
			same(t, b, expected(t, b, c), head)
		})
	}
}

func TestKilledMidBatchResumesToTheSameResult(t *testing.T) {
	t.Parallel()
	for _, kind := range backends {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			b := open(t, kind)
			c := newCodec(t, b)
			load(t, b, generate(t, c, 2000, 3))
			head := size(t, b)
			kills := 0
			// Each round is a new process whose context is cancelled part way
			// through, aborting whatever transaction is under way.
			for delay := time.Millisecond; ; delay = delay * 5 / 4 {
				ctx, cancel := context.WithTimeout(context.Background(), delay)
				err := runner(t, b, c, 64, 50).CatchUp(ctx)
				cancel()
				if err == nil {
					break
				}
				if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
					t.Logf("killed with: %v", err)
				}
				_, pos := stored(t, b)
				for _, p := range pos {
					if p > 0 && p < head {
						kills++
						break
					}
				}
			}
			if kills == 0 {
				t.Fatal("no run was killed part way through; the test proved nothing")
			}
			want := expected(t, b, c)
			same(t, b, want, head)
			if _, err := runner(t, b, c, 1000, 1500).Rebuild(context.Background(), nil, nil); err != nil {
				t.Fatal(err)
			}
			same(t, b, want, head)
		})
	}
}
