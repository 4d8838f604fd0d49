package mobility

import (
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
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
	spec.Run(t, Fold, []spec.Decision[Mobility]{
		{Name: "issuer of the participant's organisation agrees", When: agreeBy(spec.Issuer, agree()), Then: []domain.Event{agreed()}},
		{Name: "admin agrees", When: agreeBy(spec.Admin, agree()), Then: []domain.Event{agreed()}},
		{Name: "text is trimmed", When: agreeBy(spec.Issuer, agreeWith(func(c *Agree) {
			c.Host.Name = " Päiväkoti Aurinko\n"
			c.Outcomes = []PlannedOutcome{{ID: "o1", Title: "  Plans outdoor learning ", Description: "\tOutdoors.\n", EQFLevel: 5}}
		})), Then: []domain.Event{agreedWith(func(e *Agreed) {
			e.Outcomes = []PlannedOutcome{{ID: "o1", Title: "Plans outdoor learning", Description: "Outdoors.", EQFLevel: 5}}
		})}},
		{Name: "host known by OID only", When: agreeBy(spec.Issuer, agreeWith(func(c *Agree) { c.Host = Host{OID: "E30000003"} })),
			Then: []domain.Event{agreedWith(func(e *Agreed) { e.Host = Host{OID: "E30000003"} })}},
		{Name: "project code and language optional", When: agreeBy(spec.Issuer, agreeWith(func(c *Agree) { c.ProjectCode, c.Language = "", "" })),
			Then: []domain.Event{agreedWith(func(e *Agreed) { e.ProjectCode, e.Language = "", "" })}},
		{Name: "30 planned outcomes", When: agreeBy(spec.Issuer, agreeWith(func(c *Agree) { c.Outcomes = outcomes(30) })),
			Then: []domain.Event{agreedWith(func(e *Agreed) { e.Outcomes = outcomes(30) })}},
		{Name: "participant not enrolled", When: agreeFor(spec.Issuer, agree(), participant.Participant{}),
			WantErr: domain.ErrNotFound, WantMsg: `participant "p1" not found`},
		{Name: "participant of another stream", When: agreeBy(spec.Issuer, agreeWith(func(c *Agree) { c.ParticipantID = "p2" })), WantErr: domain.ErrNotFound},
		{Name: "participant erased", When: agreeFor(spec.Issuer, agree(), erased), WantErr: domain.ErrConflict, WantMsg: "participant p1 has been erased"},
		{Name: "issuer of another organisation", When: agreeBy(spec.OtherIssuer, agree()), WantErr: domain.ErrForbidden},
		{Name: "staff may not agree", When: agreeBy(spec.Staff, agree()), WantErr: domain.ErrForbidden},
		{Name: "auditor may not agree", When: agreeBy(spec.Auditor, agree()), WantErr: domain.ErrForbidden},
		{Name: "mobility exists", Given: []domain.Event{agreed()}, When: agreeBy(spec.Issuer, agree()),
			WantErr: domain.ErrConflict, WantMsg: "mobility m1 already exists"},
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
	cases := make([]spec.Decision[Mobility], 0, len(tests))
	for _, tt := range tests {
		cases = append(cases, spec.Decision[Mobility]{Name: tt.name, When: agreeBy(spec.Issuer, agreeWith(tt.change)), WantErr: domain.ErrInvalid, WantMsg: tt.wantMsg})
	}
	spec.Run(t, Fold, cases)
}

func TestAgreeDurations(t *testing.T) {
	var cases []spec.Decision[Mobility]
	for _, c := range durations() {
		start, end := days(c.days, "2025-06-30")
		cmd := agreeWith(func(a *Agree) { a.Activity, a.StartDate, a.EndDate = c.activity, start, end })
		want := agreedWith(func(e *Agreed) { e.Activity, e.StartDate, e.EndDate = c.activity, start, end })
		cases = append(cases, c.decision(nil, agreeBy(spec.Issuer, cmd), want))
	}
	spec.Run(t, Fold, cases)
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
