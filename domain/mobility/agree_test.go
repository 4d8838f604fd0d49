package mobility

import (
	"fmt"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/participant"
)

func agreeBy(by domain.Actor, cmd Agree) func(Mobility) ([]domain.Event, error) {
	return agreeFor(by, cmd, giulia())
}

func agreeFor(by domain.Actor, cmd Agree, p participant.Participant) func(Mobility) ([]domain.Event, error) {
	return func(m Mobility) ([]domain.Event, error) { return m.Agree(by, cmd, p, now) }
}

func TestAgree(t *testing.T) {
	erased := giulia()
	erased.Apply(participant.Erased{ParticipantID: "p1"})
	run(t, []decision{
		{name: "issuer of the participant's organisation agrees", when: agreeBy(issuer, agree()), then: []domain.Event{agreed()}},
		{name: "admin agrees", when: agreeBy(admin, agree()), then: []domain.Event{agreed()}},
		{name: "text is trimmed", when: agreeBy(issuer, agreeWith(func(c *Agree) {
			c.Host.Name = " Päiväkoti Aurinko\n"
			c.Outcomes = []PlannedOutcome{{ID: "o1", Title: "  Plans outdoor learning ", Description: "\tOutdoors.\n", EQFLevel: 5}}
		})), then: []domain.Event{agreedWith(func(e *Agreed) {
			e.Outcomes = []PlannedOutcome{{ID: "o1", Title: "Plans outdoor learning", Description: "Outdoors.", EQFLevel: 5}}
		})}},
		{name: "host known by OID only", when: agreeBy(issuer, agreeWith(func(c *Agree) { c.Host = Host{OID: "E30000003"} })),
			then: []domain.Event{agreedWith(func(e *Agreed) { e.Host = Host{OID: "E30000003"} })}},
		{name: "project code and language optional", when: agreeBy(issuer, agreeWith(func(c *Agree) { c.ProjectCode, c.Language = "", "" })),
			then: []domain.Event{agreedWith(func(e *Agreed) { e.ProjectCode, e.Language = "", "" })}},
		{name: "30 planned outcomes", when: agreeBy(issuer, agreeWith(func(c *Agree) { c.Outcomes = outcomes(30) })),
			then: []domain.Event{agreedWith(func(e *Agreed) { e.Outcomes = outcomes(30) })}},
		{name: "participant not enrolled", when: agreeFor(issuer, agree(), participant.Participant{}),
			wantErr: domain.ErrNotFound, wantMsg: `participant "p1" not found`},
		{name: "participant of another stream", when: agreeBy(issuer, agreeWith(func(c *Agree) { c.ParticipantID = "p2" })), wantErr: domain.ErrNotFound},
		{name: "participant erased", when: agreeFor(issuer, agree(), erased), wantErr: domain.ErrConflict, wantMsg: "participant p1 has been erased"},
		{name: "issuer of another organisation", when: agreeBy(otherIssuer, agree()), wantErr: domain.ErrForbidden},
		{name: "staff may not agree", when: agreeBy(staff, agree()), wantErr: domain.ErrForbidden},
		{name: "auditor may not agree", when: agreeBy(auditor, agree()), wantErr: domain.ErrForbidden},
		{name: "mobility exists", given: []domain.Event{agreed()}, when: agreeBy(issuer, agree()),
			wantErr: domain.ErrConflict, wantMsg: "mobility m1 already exists"},
	})
}

func TestAgreeInvalid(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Agree)
		wantMsg string
	}{
		{"bad id", func(c *Agree) { c.ID = "m/1" }, "id"},
		{"no host", func(c *Agree) { c.Host = Host{} }, "host needs an oid, or a name and a country"},
		{"host without country", func(c *Agree) { c.Host.Country = "" }, "host needs an oid, or a name and a country"},
		{"host with blank name", func(c *Agree) { c.Host.Name = "  " }, "host needs an oid, or a name and a country"},
		{"host with bad OID", func(c *Agree) { c.Host = Host{OID: "10208051"} }, `host.oid "10208051"`},
		{"host with bad country", func(c *Agree) { c.Host.Country = "fi" }, `host.country "fi"`},
		{"host by OID with bad country", func(c *Agree) { c.Host = Host{OID: "E30000003", Country: "SF"} }, `host.country "SF"`},
		{"host name of 201 characters", func(c *Agree) { c.Host.Name = strings.Repeat("x", 201) }, "host.name has 201 characters"},
		{"no activity", func(c *Agree) { c.Activity = "" }, "activity is required"},
		{"unknown activity", func(c *Agree) { c.Activity = "study_visit" }, `activity "study_visit"`},
		{"no start date", func(c *Agree) { c.StartDate = domain.Date{} }, "start_date is required"},
		{"no end date", func(c *Agree) { c.EndDate = domain.Date{} }, "end_date is required"},
		{"end before start", func(c *Agree) { c.StartDate, c.EndDate = d("2025-03-14"), d("2025-03-01") },
			"end_date 2025-03-01 is before start_date 2025-03-14"},
		{"bad project code", func(c *Agree) { c.ProjectCode = "2024-1-IT02-KA121-ECEC-000123456" }, `project_code "2024-1-IT02-KA121-ECEC-000123456"`},
		{"bad language", func(c *Agree) { c.Language = "EN" }, `language "EN"`},
		{"no planned outcomes", func(c *Agree) { c.Outcomes = nil }, "planned_outcomes must hold at least one"},
		{"31 planned outcomes", func(c *Agree) { c.Outcomes = outcomes(31) }, "planned_outcomes has 31 outcomes; at most 30"},
		{"outcome without id", func(c *Agree) { c.Outcomes[1].ID = "" }, "planned_outcomes[1].id is required"},
		{"outcome ids repeated", func(c *Agree) { c.Outcomes[1].ID = "o1" }, `planned_outcomes[1].id "o1" is used by another outcome`},
		{"outcome without title", func(c *Agree) { c.Outcomes[0].Title = " " }, "planned_outcomes[0].title is required"},
		{"title of 201 characters", func(c *Agree) { c.Outcomes[0].Title = strings.Repeat("t", 201) }, "planned_outcomes[0].title has 201 characters"},
		{"description of 2001 characters", func(c *Agree) { c.Outcomes[0].Description = strings.Repeat("d", 2001) },
			"planned_outcomes[0].description has 2001 characters"},
		{"EQF level 0", func(c *Agree) { c.Outcomes[0].EQFLevel = 0 }, "planned_outcomes[0].eqf_level 0 is not an EQF level"},
		{"EQF level 9", func(c *Agree) { c.Outcomes[1].EQFLevel = 9 }, "planned_outcomes[1].eqf_level 9"},
		{"ESCO URI of another namespace", func(c *Agree) { c.Outcomes[0].ESCOURI = "http://data.europa.eu/esco/occupation/1234" }, "planned_outcomes[0].esco_uri"},
		{"ESCO URI over https", func(c *Agree) { c.Outcomes[0].ESCOURI = "https://data.europa.eu/esco/skill/6c6ed2a5" }, "planned_outcomes[0].esco_uri"},
		{"ESCO URI without id", func(c *Agree) { c.Outcomes[0].ESCOURI = "http://data.europa.eu/esco/skill/" }, "planned_outcomes[0].esco_uri"},
		{"ESCO URI with a path", func(c *Agree) { c.Outcomes[0].ESCOURI = "http://data.europa.eu/esco/skill/a/b" }, "planned_outcomes[0].esco_uri"},
	}
	cases := make([]decision, 0, len(tests))
	for _, tt := range tests {
		cases = append(cases, decision{name: tt.name, when: agreeBy(issuer, agreeWith(tt.change)), wantErr: domain.ErrInvalid, wantMsg: tt.wantMsg})
	}
	run(t, cases)
}

func TestAgreeDurations(t *testing.T) {
	var cases []decision
	for _, c := range durations() {
		start, end := days(c.days, "2025-06-30")
		cmd := agreeWith(func(a *Agree) { a.Activity, a.StartDate, a.EndDate = c.activity, start, end })
		tc := decision{name: c.name(), when: agreeBy(issuer, cmd)}
		if c.ok {
			tc.then = []domain.Event{agreedWith(func(e *Agreed) { e.Activity, e.StartDate, e.EndDate = c.activity, start, end })}
		} else {
			lim, _ := DurationLimits(c.activity)
			tc.wantErr = domain.ErrInvalid
			tc.wantMsg = fmt.Sprintf("lasts %d days; it must last %d to %d days", c.days, lim.MinDays, lim.MaxDays)
		}
		cases = append(cases, tc)
	}
	run(t, cases)
}

func TestDurationLimits(t *testing.T) {
	tests := []struct {
		activity Activity
		want     Limits
		ok       bool
	}{
		{ActivityJobShadowing, Limits{2, 60}, true},
		{ActivityStructuredCourse, Limits{2, 30}, true},
		{ActivityTeachingAssignment, Limits{2, 365}, true},
		{"study_visit", Limits{}, false},
		{"", Limits{}, false},
	}
	for _, tt := range tests {
		if got, ok := DurationLimits(tt.activity); got != tt.want || ok != tt.ok {
			t.Errorf("DurationLimits(%q) = %v, %v; want %v, %v", tt.activity, got, ok, tt.want, tt.ok)
		}
	}
}
