package spec

import (
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
)

// happened is an event of the tests below.
type happened struct{ N int }

func (happened) EventType() string { return "spec.happened" }

// count is a state: the number of events folded into it.
type count int

func fold(events ...domain.Event) count { return count(len(events)) }

// next decides a happened event numbered after the state.
func next(c count) ([]domain.Event, error) { return []domain.Event{happened{int(c) + 1}}, nil }

// refuse decides nothing; it fails as invalid.
func refuse(count) ([]domain.Event, error) { return nil, domain.ErrInvalid }

func TestRunFoldsGivenAndChecksThen(t *testing.T) {
	Run(t, fold, []Decision[count]{
		{Name: "from nothing", When: next, Then: []domain.Event{happened{1}}},
		{Name: "after two", Given: []domain.Event{happened{1}, happened{2}}, When: next, Then: []domain.Event{happened{3}}},
		{Name: "an error", When: refuse, WantErr: domain.ErrInvalid, WantMsg: "invalid"},
	})
}
