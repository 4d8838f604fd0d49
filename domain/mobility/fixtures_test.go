package mobility

import (
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
	"github.com/erasmus-ledger/ledger/domain/participant"
)

// now is the clock of the tests. Giulia (p1) is on the staff of E10208051,
// the organisation of spec.Issuer.
var now = time.Date(2025, 4, 1, 10, 0, 0, 0, time.UTC)

func d(s string) domain.Date { return domain.MustDate(s) }

// days returns the period of n days, both ends included, that ends on end.
func days(n int, end string) (domain.Date, domain.Date) {
	e := d(end)
	return domain.DateOf(e.Time().AddDate(0, 0, 1-n)), e
}

func giulia() participant.Participant {
	return participant.Fold(participant.Enrolled{ParticipantID: "p1", Org: "E10208051", Role: participant.RoleECECCore,
		PersonalData: domain.PersonalData{GivenName: "Giulia", FamilyName: "Bianchi"}})
}

// outcomes returns n planned outcomes o1…on.
func outcomes(n int) []PlannedOutcome {
	out := make([]PlannedOutcome, n)
	for i := range out {
		out[i] = PlannedOutcome{ID: fmt.Sprintf("o%d", i+1), Title: fmt.Sprintf("Outcome %d", i+1), EQFLevel: 5}
	}
	return out
}

// agree is the learning agreement of the tests: two weeks of job shadowing
// in a Finnish day-care centre, with two planned outcomes.
func agree() Agree {
	return Agree{
		ID: "m1", ParticipantID: "p1",
		Host:     Host{Name: "Päiväkoti Aurinko", Country: "FI"},
		Activity: ActivityJobShadowing, StartDate: d("2025-03-03"), EndDate: d("2025-03-14"),
		ProjectCode: "2024-1-IT02-KA121-SCH-000123456", Language: "en",
		Outcomes: []PlannedOutcome{
			{ID: "o1", Title: "Plans outdoor learning", Description: "Designs a week of outdoor activities for 3–5 year olds.",
				EQFLevel: 5, ESCOURI: "http://data.europa.eu/esco/skill/6c6ed2a5-3e40-4dea-9e7a-1bfbe1c1c6a3"},
			{ID: "o2", Title: "Documents children's learning", EQFLevel: 4},
		},
	}
}

func agreeWith(f func(*Agree)) Agree {
	cmd := agree()
	f(&cmd)
	return cmd
}

// agreed is the event agree yields.
func agreed() Agreed {
	cmd := agree()
	return Agreed{MobilityID: "m1", ParticipantID: "p1", SendingOrg: "E10208051", Host: cmd.Host, Activity: cmd.Activity,
		StartDate: cmd.StartDate, EndDate: cmd.EndDate, ProjectCode: cmd.ProjectCode, Language: cmd.Language, Outcomes: cmd.Outcomes}
}

func agreedWith(f func(*Agreed)) Agreed {
	e := agreed()
	f(&e)
	return e
}

func complete() Complete {
	return Complete{StartDate: d("2025-03-03"), EndDate: d("2025-03-14"), Results: []OutcomeResult{
		{OutcomeID: "o1", Result: ResultAchieved, Evidence: "Mentor's observation report"},
		{OutcomeID: "o2", Result: ResultPartiallyAchieved},
	}}
}

func completeWith(f func(*Complete)) Complete {
	cmd := complete()
	f(&cmd)
	return cmd
}

func completed() Completed {
	cmd := complete()
	return Completed{MobilityID: "m1", StartDate: cmd.StartDate, EndDate: cmd.EndDate, Results: cmd.Results}
}

func completedWith(f func(*Completed)) Completed {
	e := completed()
	f(&e)
	return e
}

func ptr(v float64) *float64 { return &v }

// duration is a boundary case of an activity's duration limits.
type duration struct {
	activity Activity
	days     int
	ok       bool
}

// durations are the boundaries of every activity's limits.
func durations() []duration {
	return []duration{
		{ActivityJobShadowing, 1, false}, {ActivityJobShadowing, 2, true},
		{ActivityJobShadowing, 60, true}, {ActivityJobShadowing, 61, false},
		{ActivityStructuredCourse, 1, false}, {ActivityStructuredCourse, 2, true},
		{ActivityStructuredCourse, 30, true}, {ActivityStructuredCourse, 31, false},
		{ActivityTeachingAssignment, 1, false}, {ActivityTeachingAssignment, 2, true},
		{ActivityTeachingAssignment, 365, true}, {ActivityTeachingAssignment, 366, false},
	}
}

// name names a duration case.
func (c duration) name() string { return fmt.Sprintf("%s of %d days", c.activity, c.days) }

// decision is the case of c for the decision when on the events given: it
// yields want if c's duration is allowed, and otherwise fails as invalid,
// naming the activity's limits.
func (c duration) decision(given []domain.Event, when func(Mobility) ([]domain.Event, error), want domain.Event) spec.Decision[Mobility] {
	tc := spec.Decision[Mobility]{Name: c.name(), Given: given, When: when}
	if c.ok {
		tc.Then = []domain.Event{want}
		return tc
	}
	lim, _ := DurationLimits(c.activity)
	tc.WantErr = domain.ErrInvalid
	tc.WantMsg = fmt.Sprintf("lasts %d days; it must last %d to %d days", c.days, lim.MinDays, lim.MaxDays)
	return tc
}
