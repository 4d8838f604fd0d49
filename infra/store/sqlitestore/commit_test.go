package sqlitestore

import (
	"testing"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/committest"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

func TestCommit(t *testing.T) {
	t.Parallel()
	committest.Run(t, func(t *testing.T) (store.Backend, groupcommit.CommitFunc) {
		s, _ := open(t, Options{})
		return s, s.commit
	})
}
