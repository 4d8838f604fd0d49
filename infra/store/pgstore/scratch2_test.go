package pgstore

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
)

func TestScratchSplit(t *testing.T) {
	u := pgtest.URL(t)
	if os.Getenv("SYNCOFF") != "" {
		u = strings.Replace(u, "options=", "options=-c%20synchronous_commit%3Doff%20", 1)
	}
	s, err := Open(t.Context(), u, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var build, send, lock, ins, closeT time.Duration
	var commits, n int
	c := groupcommit.Start(func(ctx context.Context, rs []*groupcommit.Request) {
		t0 := time.Now()
		b := &pgx.Batch{}
		b.Queue(lockSQL, s.appendKey)
		k, err := queueInsert(b, rs, &s.known)
		if err != nil {
			t.Error(err)
		}
		t1 := time.Now()
		br := s.writer.SendBatch(ctx, b)
		t2 := time.Now()
		if _, err := br.Exec(); err != nil {
			t.Error(err)
		}
		t3 := time.Now()
		first, at, err := readInserted(br, k)
		t4 := time.Now()
		if err := br.Close(); err != nil {
			t.Error(err)
		}
		t5 := time.Now()
		for _, r := range rs {
			s.succeed(r, first, at)
			first += uint64(len(r.Events))
		}
		build += t1.Sub(t0)
		send += t2.Sub(t1)
		lock += t3.Sub(t2)
		ins += t4.Sub(t3)
		closeT += t5.Sub(t4)
		commits++
		n += len(rs)
	}, groupcommit.NewHub(), nil)
	defer c.Stop()
	const writers, per = 64, 100
	start := time.Now()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			stream := fmt.Sprintf("w-%d", w)
			for v := range per {
				if _, err := c.Append(t.Context(), stream, uint64(v), []store.Event{benchEvent(fmt.Sprintf("%s-%d", stream, v))}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	total := time.Since(start)
	d := func(x time.Duration) time.Duration { return x / time.Duration(commits) }
	t.Logf("total %v commits %d (%.1f/commit) per commit: build %v send %v lock %v insert %v close %v; events/s %.0f",
		total, commits, float64(n)/float64(commits), d(build), d(send), d(lock), d(ins), d(closeT), float64(writers*per)/total.Seconds())
}
