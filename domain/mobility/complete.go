package mobility

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Complete is the command to record what happened on a mobility: the actual
// dates, a result for every planned outcome, and optional credits.
type Complete struct {
	StartDate domain.Date
	EndDate   domain.Date
	Results   []OutcomeResult
	ECTS      *float64
	Hours     *float64
}

// The limits on a completion.
const (
	maxEvidence = 2000 // runes
	maxECTS     = 60   // ECTS credits, a full academic year
	maxHours    = 2000 // hours of learning
)

// Complete decides on completing the mobility once it has ended, no later than
// the civil date of at. It is recorded once, and not after a cancellation.
func (m Mobility) Complete(by domain.Actor, cmd Complete, at time.Time) ([]domain.Event, error) {
	if err := m.authorise(by); err != nil {
		return nil, err
	}
	switch m.State {
	case StateCancelled:
		return nil, domain.Conflictf("mobility %s was cancelled and cannot be completed", m.ID)
	case StateCompleted, StateRecognised:
		return nil, domain.Conflictf("mobility %s is already completed", m.ID)
	}
	if err := checkPeriod(m.Activity, cmd.StartDate, cmd.EndDate); err != nil {
		return nil, err
	}
	if today := domain.DateOf(at); cmd.EndDate.After(today) {
		return nil, domain.Invalidf("end_date %s is after today (%s); record the completion once the mobility has ended", cmd.EndDate, today)
	}
	results, err := m.checkResults(cmd.Results)
	if err != nil {
		return nil, err
	}
	if err := checkAmount("ects", cmd.ECTS, maxECTS); err != nil {
		return nil, err
	}
	if err := checkAmount("hours", cmd.Hours, maxHours); err != nil {
		return nil, err
	}
	return []domain.Event{Completed{MobilityID: m.ID, StartDate: cmd.StartDate, EndDate: cmd.EndDate,
		Results: results, ECTS: clone(cmd.ECTS), Hours: clone(cmd.Hours)}}, nil
}

// checkResults checks that results give exactly one known result for every
// planned outcome and returns them with their evidence trimmed.
func (m Mobility) checkResults(results []OutcomeResult) ([]OutcomeResult, error) {
	done := make(map[string]bool, len(results))
	checked := make([]OutcomeResult, len(results))
	for i, r := range results {
		r.Evidence = strings.TrimSpace(r.Evidence)
		if err := m.checkResult(fmt.Sprintf("outcomes[%d]", i), r, done); err != nil {
			return nil, err
		}
		done[r.OutcomeID] = true
		checked[i] = r
	}
	for _, o := range m.Outcomes {
		if !done[o.ID] {
			return nil, domain.Invalidf("outcomes: planned outcome %q (%s) has no result", o.ID, o.Title)
		}
	}
	return checked, nil
}

// checkResult checks result r, named field in messages, given the outcomes
// that already have one.
func (m Mobility) checkResult(field string, r OutcomeResult, done map[string]bool) error {
	switch {
	case r.OutcomeID == "":
		return domain.Invalidf("%s.outcome_id is required", field)
	case !m.planned(r.OutcomeID):
		return domain.Invalidf("%s.outcome_id %q is not a planned outcome of mobility %s", field, r.OutcomeID, m.ID)
	case done[r.OutcomeID]:
		return domain.Invalidf("%s.outcome_id %q has a result already", field, r.OutcomeID)
	case r.Result == "":
		return domain.Invalidf("%s.result is required", field)
	case !r.Result.Known():
		return domain.Invalidf("%s.result %q is not one of achieved, partially_achieved, not_achieved", field, r.Result)
	}
	return domain.ValidProse(field+".evidence", r.Evidence, maxEvidence, false)
}

// planned reports whether id is the ID of a planned outcome.
func (m Mobility) planned(id string) bool {
	return slices.ContainsFunc(m.Outcomes, func(o PlannedOutcome) bool { return o.ID == id })
}

// checkAmount checks an optional amount, named field, from 0 to max.
func checkAmount(field string, v *float64, max float64) error {
	if v != nil && !(*v >= 0 && *v <= max) {
		return domain.Invalidf("%s %g is not between 0 and %g", field, *v, max)
	}
	return nil
}

// clone returns a copy of *v, so that events share no memory with commands.
func clone(v *float64) *float64 {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}
