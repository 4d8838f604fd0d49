package pgstore

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/committest"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

func TestCommit(t *testing.T) {
	t.Parallel()
	committest.Run(t, func(t *testing.T) (store.Backend, groupcommit.CommitFunc) {
		s := open(t, Options{})
		return s, s.commit
	})
}

func TestNextRound(t *testing.T) {
	tests := []struct {
		name         string
		batch        []*groupcommit.Request
		reached      map[string]uint64
		round, later string
		failed       int
	}{
		{"distinct streams", []*groupcommit.Request{committest.Req("a", 0, "x", 1), committest.Req("b", 3, "y", 2)}, nil, "a@0 b@3", "", 0},
		{"chain", []*groupcommit.Request{committest.Req("a", 0, "x", 2), committest.Req("a", 2, "y", 1)}, nil, "a@0 a@2", "", 0},
		{"same version twice", []*groupcommit.Request{committest.Req("a", 0, "x", 1), committest.Req("a", 0, "y", 1), committest.Req("a", 1, "z", 1)}, nil,
			"a@0 a@1", "a@0", 0},
		{"known stale", []*groupcommit.Request{committest.Req("a", 0, "x", 1), committest.Req("b", 1, "y", 1)}, map[string]uint64{"a": 1},
			"b@1", "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reached := tc.reached
			if reached == nil {
				reached = map[string]uint64{}
			}
			round, later := nextRound(tc.batch, reached)
			if got := describe(round); got != tc.round {
				t.Errorf("round %q, want %q", got, tc.round)
			}
			if got := describe(later); got != tc.later {
				t.Errorf("later %q, want %q", got, tc.later)
			}
			var failed int
			for _, r := range tc.batch {
				if errors.Is(r.Err(), domain.ErrConflict) {
					failed++
				}
			}
			if failed != tc.failed {
				t.Errorf("%d requests failed, want %d", failed, tc.failed)
			}
		})
	}
}

// describe lists requests as stream@expected.
func describe(reqs []*groupcommit.Request) string {
	var s []string
	for _, r := range reqs {
		s = append(s, fmt.Sprintf("%s@%d", r.Stream, r.Expected))
	}
	return strings.Join(s, " ")
}
