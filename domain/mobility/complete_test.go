package mobility

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
)

func completeBy(by domain.Actor, cmd Complete) func(Mobility) ([]domain.Event, error) {
	return completeAt(by, cmd, now)
}

func completeAt(by domain.Actor, cmd Complete, at time.Time) func(Mobility) ([]domain.Event, error) {
	return func(m Mobility) ([]domain.Event, error) { return m.Complete(by, cmd, at) }
}

func TestComplete(t *testing.T) {
	given := []domain.Event{agreed()}
	cancelled := Cancelled{MobilityID: "m1", Reason: "Illness"}
	recognised := Recognised{MobilityID: "m1", Decision: DecisionFull}
	spec.Run(t, Fold, []spec.Decision[Mobility]{
		{Name: "issuer completes", Given: given, When: completeBy(spec.Issuer, complete()), Then: []domain.Event{completed()}},
		{Name: "admin completes", Given: given, When: completeBy(spec.Admin, complete()), Then: []domain.Event{completed()}},
		{Name: "results in any order, evidence trimmed, with credits", Given: given,
			When: completeBy(spec.Issuer, completeWith(func(c *Complete) {
				c.Results = []OutcomeResult{{OutcomeID: "o2", Result: ResultNotAchieved, Evidence: "  Portfolio\n"}, {OutcomeID: "o1", Result: ResultAchieved}}
				c.ECTS, c.Hours = ptr(60), ptr(2000)
			})),
			Then: []domain.Event{Completed{MobilityID: "m1", StartDate: d("2025-03-03"), EndDate: d("2025-03-14"),
				Results: []OutcomeResult{{OutcomeID: "o2", Result: ResultNotAchieved, Evidence: "Portfolio"}, {OutcomeID: "o1", Result: ResultAchieved}},
				ECTS:    ptr(60), Hours: ptr(2000)}}},
		{Name: "no credits is zero credits", Given: given, When: completeBy(spec.Issuer, completeWith(func(c *Complete) { c.ECTS, c.Hours = ptr(0), ptr(0) })),
			Then: []domain.Event{completedWith(func(e *Completed) { e.ECTS, e.Hours = ptr(0), ptr(0) })}},
		{Name: "actual dates differ from the agreed ones", Given: given,
			When: completeBy(spec.Issuer, completeWith(func(c *Complete) { c.StartDate, c.EndDate = d("2025-03-10"), d("2025-03-21") })),
			Then: []domain.Event{completedWith(func(e *Completed) { e.StartDate, e.EndDate = d("2025-03-10"), d("2025-03-21") })}},
		{Name: "ended today", Given: given,
			When: completeAt(spec.Issuer, completeWith(func(c *Complete) { c.StartDate, c.EndDate = d("2025-03-20"), d("2025-04-01") }), now),
			Then: []domain.Event{completedWith(func(e *Completed) { e.StartDate, e.EndDate = d("2025-03-20"), d("2025-04-01") })}},
		{Name: "not agreed", When: completeBy(spec.Admin, complete()), WantErr: domain.ErrNotFound, WantMsg: "mobility not found"},
		{Name: "issuer of another organisation", Given: given, When: completeBy(spec.OtherIssuer, complete()), WantErr: domain.ErrForbidden},
		{Name: "staff may not complete", Given: given, When: completeBy(spec.Staff, complete()), WantErr: domain.ErrForbidden},
		{Name: "cancelled", Given: append(given, cancelled), When: completeBy(spec.Issuer, complete()),
			WantErr: domain.ErrConflict, WantMsg: "mobility m1 was cancelled"},
		{Name: "already completed", Given: append(given, completed()), When: completeBy(spec.Issuer, complete()),
			WantErr: domain.ErrConflict, WantMsg: "mobility m1 is already completed"},
		{Name: "already recognised", Given: append(given, completed(), recognised), When: completeBy(spec.Issuer, complete()),
			WantErr: domain.ErrConflict, WantMsg: "already completed"},
	})
}

func TestCompleteInvalid(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Complete)
		wantMsg string
	}{
		{"no start date", func(c *Complete) { c.StartDate = domain.Date{} }, "start_date is required"},
		{"no end date", func(c *Complete) { c.EndDate = domain.Date{} }, "end_date is required"},
		{"end before start", func(c *Complete) { c.StartDate, c.EndDate = d("2025-03-14"), d("2025-03-01") },
			"end_date 2025-03-01 is before start_date 2025-03-14"},
		{"ends tomorrow", func(c *Complete) { c.StartDate, c.EndDate = d("2025-03-20"), d("2025-04-02") }, "end_date 2025-04-02 is after today (2025-04-01)"},
		{"no results", func(c *Complete) { c.Results = nil }, `outcomes: planned outcome "o1" (Plans outdoor learning) has no result`},
		{"a planned outcome without result", func(c *Complete) { c.Results = c.Results[:1] }, `planned outcome "o2" (Documents children's learning) has no result`},
		{"result of an outcome not planned", func(c *Complete) { c.Results[1].OutcomeID = "o3" }, `outcomes[1].outcome_id "o3" is not a planned outcome of mobility m1`},
		{"two results for one outcome", func(c *Complete) {
			c.Results = append(c.Results, OutcomeResult{OutcomeID: "o1", Result: ResultNotAchieved})
		},
			`outcomes[2].outcome_id "o1" has a result already`},
		{"result without outcome id", func(c *Complete) { c.Results[0].OutcomeID = "" }, "outcomes[0].outcome_id is required"},
		{"result missing", func(c *Complete) { c.Results[1].Result = "" }, "outcomes[1].result is required"},
		{"result unknown", func(c *Complete) { c.Results[1].Result = "excellent" }, `outcomes[1].result "excellent"`},
		{"evidence of 2001 characters", func(c *Complete) { c.Results[0].Evidence = strings.Repeat("e", 2001) }, "outcomes[0].evidence has 2001 characters"},
		{"negative ECTS", func(c *Complete) { c.ECTS = ptr(-0.5) }, "ects -0.5 is not between 0 and 60"},
		{"too many ECTS", func(c *Complete) { c.ECTS = ptr(60.5) }, "ects 60.5"},
		{"ECTS not a number", func(c *Complete) { c.ECTS = ptr(math.NaN()) }, "ects NaN"},
		{"negative hours", func(c *Complete) { c.Hours = ptr(-1) }, "hours -1 is not between 0 and 2000"},
		{"too many hours", func(c *Complete) { c.Hours = ptr(2000.5) }, "hours 2000.5"},
		{"infinite hours", func(c *Complete) { c.Hours = ptr(math.Inf(1)) }, "hours +Inf"},
	}
	cases := make([]spec.Decision[Mobility], 0, len(tests))
	for _, tt := range tests {
		cases = append(cases, spec.Decision[Mobility]{Name: tt.name, Given: []domain.Event{agreed()},
			When: completeBy(spec.Issuer, completeWith(tt.change)), WantErr: domain.ErrInvalid, WantMsg: tt.wantMsg})
	}
	spec.Run(t, Fold, cases)
}

func TestCompleteDurations(t *testing.T) {
	var cases []spec.Decision[Mobility]
	for _, c := range durations() {
		start, end := days(c.days, "2025-03-31")
		given := []domain.Event{agreedWith(func(e *Agreed) { e.Activity = c.activity })}
		cmd := completeWith(func(cmd *Complete) { cmd.StartDate, cmd.EndDate = start, end })
		want := completedWith(func(e *Completed) { e.StartDate, e.EndDate = start, end })
		cases = append(cases, c.decision(given, completeBy(spec.Issuer, cmd), want))
	}
	spec.Run(t, Fold, cases)
}

func TestCompletedSharesNothingWithTheCommand(t *testing.T) {
	cmd := completeWith(func(c *Complete) { c.ECTS = ptr(3) })
	events, err := Fold(agreed()).Complete(spec.Issuer, cmd, now)
	if err != nil {
		t.Fatal(err)
	}
	*cmd.ECTS = 7
	cmd.Results[0].Result = ResultNotAchieved
	got := events[0].(Completed)
	if *got.ECTS != 3 || got.Results[0].Result != ResultAchieved {
		t.Errorf("changing the command changed the event: %+v", got)
	}
}
