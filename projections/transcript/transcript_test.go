package transcript_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// history is a participant's story as the log records it, one event a day.
func history() []projections.Event {
	ects, hours := 2.0, 60.0
	until := t0.AddDate(1, 0, 0)
	events := []domain.Event{
		organisation.Registered{OID: "E10208051", Name: "Kita Sonnenblume", Country: "DE", Kind: organisation.KindECECCentre},
		participant.Enrolled{ParticipantID: "p1", Org: "E10208051", Role: participant.RoleECECCore},
		mobility.Agreed{MobilityID: "m1", ParticipantID: "p1", SendingOrg: "E10208051", Host: mobility.Host{Name: "Päiväkoti Tähti", Country: "FI"},
			Activity: mobility.ActivityJobShadowing, StartDate: domain.MustDate("2025-03-10"), EndDate: domain.MustDate("2025-03-19"),
			Outcomes: []mobility.PlannedOutcome{{ID: "o1", Title: "Outdoor learning", EQFLevel: 5}, {ID: "o2", Title: "Documentation", EQFLevel: 4}}},
		mobility.Completed{MobilityID: "m1", StartDate: domain.MustDate("2025-03-11"), EndDate: domain.MustDate("2025-03-19"), ECTS: &ects, Hours: &hours,
			Results: []mobility.OutcomeResult{{OutcomeID: "o1", Result: mobility.ResultAchieved}, {OutcomeID: "o2", Result: mobility.ResultNotAchieved, Evidence: "journal"}}},
		mobility.Recognised{MobilityID: "m1", Decision: mobility.DecisionFull},
		credential.Issued{CredentialID: "c1", MobilityID: "m1", ParticipantID: "p1", IssuerOID: "E10208051", ValidFrom: t0, ValidUntil: &until},
		credential.Suspended{CredentialID: "c1", Reason: "review"},
		mobility.Agreed{MobilityID: "m2", ParticipantID: "p1", SendingOrg: "E10208051", Host: mobility.Host{OID: "E10208051", Country: "DE"},
			Activity: mobility.ActivityStructuredCourse, StartDate: domain.MustDate("2025-06-02"), EndDate: domain.MustDate("2025-06-06"),
			Outcomes: []mobility.PlannedOutcome{{ID: "o1", Title: "Music", EQFLevel: 4}}},
		mobility.Cancelled{MobilityID: "m2", Reason: "host closed"},
	}
	out := make([]projections.Event, len(events))
	for i, e := range events {
		out[i] = projections.Event{Index: uint64(i), RecordedAt: t0.AddDate(0, 0, i), Data: e}
	}
	return out
}

func fold(t *testing.T, events []projections.Event) *projections.Memory {
	t.Helper()
	docs := projections.NewMemory()
	if err := projections.Fold(context.Background(), transcript.Projection{}, docs, events); err != nil {
		t.Fatal(err)
	}
	return docs
}

func TestBuild(t *testing.T) {
	docs := fold(t, history())
	tr, err := transcript.Build(context.Background(), docs, "p1", transcript.Options{At: t0.AddDate(0, 1, 0), PublicURL: "https://ledger.example"})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Holder.Organisation.Name != "Kita Sonnenblume" || tr.Holder.Role != "ecec_core_practitioner" || len(tr.Mobilities) != 2 {
		t.Fatalf("transcript: %+v", tr)
	}
	m := tr.Mobilities[0]
	wantOutcomes := []transcript.Outcome{{ID: "o1", Title: "Outdoor learning", EQFLevel: 5, Result: mobility.ResultAchieved},
		{ID: "o2", Title: "Documentation", EQFLevel: 4, Result: mobility.ResultNotAchieved, Evidence: "journal"}}
	switch {
	case m.State != mobility.StateRecognised || m.Recognition.Decision != mobility.DecisionFull:
		t.Errorf("state %s, recognition %+v", m.State, m.Recognition)
	case m.StartDate.String() != "2025-03-11" || m.DurationDays != 9 || *m.ECTS != 2 || *m.Hours != 60:
		t.Errorf("dates and credits: %s, %d days, %v ECTS, %v hours", m.StartDate, m.DurationDays, *m.ECTS, *m.Hours)
	case m.Host.Name != "Päiväkoti Tähti" || m.Sending.Country != "DE":
		t.Errorf("partners: %+v %+v", m.Sending, m.Host)
	case !reflect.DeepEqual(m.Outcomes, wantOutcomes):
		t.Errorf("outcomes %+v", m.Outcomes)
	case len(m.Credentials) != 1 || m.Credentials[0].Status != credential.StatusSuspended || m.Credentials[0].LogIndex != 5 ||
		m.Credentials[0].VerifyURL != "https://ledger.example/verify/c1":
		t.Errorf("credentials %+v", m.Credentials)
	}
	if c := tr.Mobilities[1]; c.State != mobility.StateCancelled || c.Cancellation.Reason != "host closed" || c.Host.Name != "Kita Sonnenblume" {
		t.Errorf("cancelled mobility hosted by a registered organisation: %+v", c)
	}
}

func TestCredentialStatus(t *testing.T) {
	until := t0.AddDate(1, 0, 0)
	base := history()[:6]
	event := func(i int, e domain.Event) projections.Event {
		return projections.Event{Index: uint64(i), RecordedAt: t0.AddDate(0, 0, i), Data: e}
	}
	tests := []struct {
		name  string
		then  []domain.Event
		at    time.Time
		want  credential.Status
		since bool
	}{
		{"issued", nil, t0, credential.StatusActive, false},
		{"expired once valid_until passed", nil, until, credential.StatusExpired, false},
		{"suspended", []domain.Event{credential.Suspended{CredentialID: "c1"}}, t0, credential.StatusSuspended, false},
		{"reinstated", []domain.Event{credential.Suspended{CredentialID: "c1"}, credential.Reinstated{CredentialID: "c1"}}, t0, credential.StatusActive, false},
		{"revoked stays revoked", []domain.Event{credential.Revoked{CredentialID: "c1"}, credential.Reinstated{CredentialID: "c1"}}, until, credential.StatusRevoked, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events := append([]projections.Event{}, base...)
			for _, e := range tt.then {
				events = append(events, event(len(events), e))
			}
			tr, err := transcript.Build(context.Background(), fold(t, events), "p1", transcript.Options{At: tt.at})
			if err != nil {
				t.Fatal(err)
			}
			c := tr.Mobilities[0].Credentials[0]
			if c.Status != tt.want || (c.RevokedAt != nil) != tt.since {
				t.Errorf("status %s (revoked at %v), want %s", c.Status, c.RevokedAt, tt.want)
			}
		})
	}
}

func TestErasedAndUnknown(t *testing.T) {
	events := append(history(), projections.Event{Index: 9, RecordedAt: t0.AddDate(0, 0, 9), Data: participant.Erased{ParticipantID: "p1"}})
	tr, err := transcript.Build(context.Background(), fold(t, events), "p1", transcript.Options{At: t0})
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Erased || len(tr.Mobilities) != 0 {
		t.Errorf("erased participant's transcript: %+v", tr)
	}
	if _, err := transcript.Build(context.Background(), fold(t, events), "p2", transcript.Options{}); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("unknown participant: %v", err)
	}
}

func TestStreams(t *testing.T) {
	got, err := transcript.Streams(context.Background(), fold(t, history()), "p1")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"credential-c1", "mobility-m1", "mobility-m2", "organisation-E10208051", "participant-p1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("streams %v, want %v", got, want)
	}
}

func TestFoldIsDeterministicAndIdempotentOnDocuments(t *testing.T) {
	a, b := fold(t, history()), fold(t, history())
	if !reflect.DeepEqual(a.Keys(), b.Keys()) {
		t.Fatalf("keys differ: %v %v", a.Keys(), b.Keys())
	}
	for _, k := range a.Keys() {
		x, _ := a.Get(context.Background(), k)
		y, _ := b.Get(context.Background(), k)
		if !reflect.DeepEqual(x, y) {
			t.Errorf("document %s differs between two folds", k)
		}
	}
}
