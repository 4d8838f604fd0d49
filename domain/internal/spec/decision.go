package spec

import (
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
)

// Decision is one given/when/then case on an aggregate whose state is S: the
// events of its stream, the decision taken on their fold, and the events or
// the kind of error (with a part of its message) the decision must yield.
type Decision[S any] struct {
	Name    string
	Given   []domain.Event
	When    func(S) ([]domain.Event, error)
	Then    []domain.Event
	WantErr error
	WantMsg string
}

// Run runs each case as a parallel subtest named after it: it folds the
// case's Given events with fold, takes the When decision on the state and
// checks the outcome with Then.
func Run[S any](t *testing.T, fold func(...domain.Event) S, cases []Decision[S]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			got, err := c.When(fold(c.Given...))
			Then(t, got, err, c.Then, c.WantErr, c.WantMsg)
		})
	}
}
