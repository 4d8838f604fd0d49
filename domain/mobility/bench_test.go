package mobility

import (
	"fmt"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
)

// eightOutcomes is a mobility's stream with eight planned outcomes, completed
// and recognised, and the command that completed it.
func eightOutcomes() ([]domain.Event, Complete) {
	a := agreedWith(func(e *Agreed) { e.Outcomes = outcomes(8) })
	cmd := complete()
	cmd.Results = make([]OutcomeResult, 8)
	for i := range cmd.Results {
		cmd.Results[i] = OutcomeResult{OutcomeID: fmt.Sprintf("o%d", i+1), Result: ResultAchieved, Evidence: "Observed by the host mentor."}
	}
	c := Completed{MobilityID: "m1", StartDate: cmd.StartDate, EndDate: cmd.EndDate, Results: cmd.Results, ECTS: ptr(2)}
	return []domain.Event{a, c, Recognised{MobilityID: "m1", Decision: DecisionFull}}, cmd
}

func BenchmarkFold(b *testing.B) {
	events, _ := eightOutcomes()
	for b.Loop() {
		if m := Fold(events...); m.State != StateRecognised {
			b.Fatalf("state %q", m.State)
		}
	}
}

func BenchmarkDecideComplete(b *testing.B) {
	events, cmd := eightOutcomes()
	m := Fold(events[0])
	for b.Loop() {
		if _, err := m.Complete(spec.Issuer, cmd, now); err != nil {
			b.Fatal(err)
		}
	}
}
