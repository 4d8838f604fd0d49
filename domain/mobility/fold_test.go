package mobility

import (
	"reflect"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
)

// planned is the state after agreed().
func planned() Mobility {
	e := agreed()
	return Mobility{ID: "m1", ParticipantID: "p1", SendingOrg: "E10208051", Host: e.Host, Activity: e.Activity,
		PlannedStart: e.StartDate, PlannedEnd: e.EndDate, ProjectCode: e.ProjectCode, Language: e.Language,
		Outcomes: e.Outcomes, State: StatePlanned, Version: 1}
}

// unknownEvent is an event type the package does not know.
type unknownEvent struct{}

func (unknownEvent) EventType() string { return "mobility.annotated" }

func TestFold(t *testing.T) {
	c := completed()
	x := Cancelled{MobilityID: "m1", Reason: "Illness"}
	r := Recognised{MobilityID: "m1", Decision: DecisionFull}
	tests := []struct {
		name   string
		events []domain.Event
		want   func(*Mobility)
	}{
		{"nothing", nil, func(m *Mobility) { *m = Mobility{} }},
		{"agreed", []domain.Event{agreed()}, func(*Mobility) {}},
		{"completed", []domain.Event{agreed(), c}, func(m *Mobility) { m.State, m.Completion, m.Version = StateCompleted, &c, 2 }},
		{"cancelled", []domain.Event{agreed(), x}, func(m *Mobility) { m.State, m.Cancellation, m.Version = StateCancelled, &x, 2 }},
		{"recognised keeps the completion", []domain.Event{agreed(), c, r},
			func(m *Mobility) { m.State, m.Completion, m.Recognition, m.Version = StateRecognised, &c, &r, 3 }},
		{"unknown events count towards the version", []domain.Event{agreed(), unknownEvent{}}, func(m *Mobility) { m.Version = 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := planned()
			tt.want(&want)
			got := Fold(tt.events...)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Fold = %+v\nwant %+v", got, want)
			}
			if got.Exists() != (len(tt.events) > 0) {
				t.Errorf("Exists = %v after %d events", got.Exists(), len(tt.events))
			}
		})
	}
}

func TestFoldSharesNoSlices(t *testing.T) {
	a, c := agreed(), completed()
	m := Fold(a, c)
	a.Outcomes[0].Title = "changed"
	c.Results[0].Result = ResultNotAchieved
	if m.Outcomes[0].Title == "changed" || m.Completion.Results[0].Result == ResultNotAchieved {
		t.Error("changing an event after the fold changed the state")
	}
}
