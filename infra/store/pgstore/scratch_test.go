package pgstore

import (
	"context"
	"fmt"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

func TestScratchCycle(t *testing.T) {
	u := pgtest.URL(t)
	if os.Getenv("SYNCOFF") != "" {
		u = strings.Replace(u, "options=", "options=-c%20synchronous_commit%3Doff%20", 1)
	}
	if os.Getenv("GENERIC") != "" {
		u = strings.Replace(u, "options=", "options=-c%20plan_cache_mode%3Dforce_generic_plan%20", 1)
	}
	s, err := Open(t.Context(), u, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var inCommit time.Duration
	var commits, reqs int
	c := groupcommit.Start(func(ctx context.Context, rs []*groupcommit.Request) {
		t0 := time.Now()
		s.commit(ctx, rs)
		inCommit += time.Since(t0)
		commits++
		reqs += len(rs)
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
	rows, _ := s.pool.Query(t.Context(), `SELECT generic_plans, custom_plans, left(statement, 40) FROM pg_prepared_statements`)
	for rows.Next() {
		var g, cu int64
		var st string
		rows.Scan(&g, &cu, &st)
		t.Logf("generic %d custom %d %q", g, cu, st)
	}
	rows.Close()
	t.Logf("total %v, %d commits, %.1f reqs/commit, in commit %v (%.0f%%), per commit %v, events/s %.0f",
		total, commits, float64(reqs)/float64(commits), inCommit, 100*inCommit.Seconds()/total.Seconds(), inCommit/time.Duration(commits), float64(writers*per)/total.Seconds())
}
