package mobility

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
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
	run(t, []decision{
		{name: "issuer completes", given: given, when: completeBy(issuer, complete()), then: []domain.Event{completed()}},
		{name: "admin completes", given: given, when: completeBy(admin, complete()), then: []domain.Event{completed()}},
		{name: "results in any order, evidence trimmed, with credits", given: given,
			when: completeBy(issuer, completeWith(func(c *Complete) {
				c.Results = []OutcomeResult{{OutcomeID: "o2", Result: ResultNotAchieved, Evidence: "  Portfolio\n"}, {OutcomeID: "o1", Result: ResultAchieved}}
				c.ECTS, c.Hours = ptr(60), ptr(2000)
			})),
			then: []domain.Event{Completed{MobilityID: "m1", StartDate: d("2025-03-03"), EndDate: d("2025-03-14"),
				Results: []OutcomeResult{{OutcomeID: "o2", Result: ResultNotAchieved, Evidence: "Portfolio"}, {OutcomeID: "o1", Result: ResultAchieved}},
				ECTS:    ptr(60), Hours: ptr(2000)}}},
		{name: "no credits is zero credits", given: given, when: completeBy(issuer, completeWith(func(c *Complete) { c.ECTS, c.Hours = ptr(0), ptr(0) })),
			then: []domain.Event{completedWith(func(e *Completed) { e.ECTS, e.Hours = ptr(0), ptr(0) })}},
		{name: "actual dates differ from the agreed ones", given: given,
			when: completeBy(issuer, completeWith(func(c *Complete) { c.StartDate, c.EndDate = d("2025-03-10"), d("2025-03-21") })),
			then: []domain.Event{completedWith(func(e *Completed) { e.StartDate, e.EndDate = d("2025-03-10"), d("2025-03-21") })}},
		{name: "ended today", given: given,
			when: completeAt(issuer, completeWith(func(c *Complete) { c.StartDate, c.EndDate = d("2025-03-20"), d("2025-04-01") }), now),
			then: []domain.Event{completedWith(func(e *Completed) { e.StartDate, e.EndDate = d("2025-03-20"), d("2025-04-01") })}},
		{name: "not agreed", when: completeBy(admin, complete()), wantErr: domain.ErrNotFound, wantMsg: "mobility not found"},
		{name: "issuer of another organisation", given: given, when: completeBy(otherIssuer, complete()), wantErr: domain.ErrForbidden},
		{name: "staff may not complete", given: given, when: completeBy(staff, complete()), wantErr: domain.ErrForbidden},
		{name: "cancelled", given: append(given, cancelled), when: completeBy(issuer, complete()),
			wantErr: domain.ErrConflict, wantMsg: "mobility m1 was cancelled"},
		{name: "already completed", given: append(given, completed()), when: completeBy(issuer, complete()),
			wantErr: domain.ErrConflict, wantMsg: "mobility m1 is already completed"},
		{name: "already recognised", given: append(given, completed(), recognised), when: completeBy(issuer, complete()),
			wantErr: domain.ErrConflict, wantMsg: "already completed"},
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
	cases := make([]decision, 0, len(tests))
	for _, tt := range tests {
		cases = append(cases, decision{name: tt.name, given: []domain.Event{agreed()},
			when: completeBy(issuer, completeWith(tt.change)), wantErr: domain.ErrInvalid, wantMsg: tt.wantMsg})
	}
	run(t, cases)
}

func TestCompleteDurations(t *testing.T) {
	var cases []decision
	for _, c := range durations() {
		start, end := days(c.days, "2025-03-31")
		given := []domain.Event{agreedWith(func(e *Agreed) { e.Activity = c.activity })}
		cmd := completeWith(func(cmd *Complete) { cmd.StartDate, cmd.EndDate = start, end })
		tc := decision{name: c.name(), given: given, when: completeBy(issuer, cmd)}
		if c.ok {
			tc.then = []domain.Event{completedWith(func(e *Completed) { e.StartDate, e.EndDate = start, end })}
		} else {
			lim, _ := DurationLimits(c.activity)
			tc.wantErr = domain.ErrInvalid
			tc.wantMsg = fmt.Sprintf("lasts %d days; it must last %d to %d days", c.days, lim.MinDays, lim.MaxDays)
		}
		cases = append(cases, tc)
	}
	run(t, cases)
}

func TestCompletedSharesNothingWithTheCommand(t *testing.T) {
	cmd := completeWith(func(c *Complete) { c.ECTS = ptr(3) })
	events, err := Fold(agreed()).Complete(issuer, cmd, now)
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
