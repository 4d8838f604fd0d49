package participant

import (
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
	"github.com/erasmus-ledger/ledger/domain/organisation"
)

var (
	now      = time.Date(2025, 3, 14, 23, 30, 0, 0, time.UTC)
	girasole = organisation.Fold(organisation.Registered{OID: "E10208051", Name: "Girasole", Country: "IT", Kind: organisation.KindECECCentre})
)

func enrol(by domain.Actor, cmd Enrol, org organisation.Organisation) func(Participant) ([]domain.Event, error) {
	return func(p Participant) ([]domain.Event, error) { return p.Enrol(by, cmd, org, now) }
}

func giulia() Enrol {
	return Enrol{ID: "p1", Org: "E10208051", Role: RoleECECAssisting, GivenName: "Giulia", FamilyName: "Bianchi",
		Email: "giulia.bianchi@example.it", BirthDate: "1988-06-02"}
}

func giuliaWith(f func(*Enrol)) Enrol {
	cmd := giulia()
	f(&cmd)
	return cmd
}

func enrolled(pd domain.PersonalData) Enrolled {
	return Enrolled{ParticipantID: "p1", Org: "E10208051", Role: RoleECECAssisting, PersonalData: pd}
}

var giuliaData = domain.PersonalData{GivenName: "Giulia", FamilyName: "Bianchi", Email: "giulia.bianchi@example.it", BirthDate: "1988-06-02"}

func TestEnrol(t *testing.T) {
	bare := domain.PersonalData{GivenName: "Giulia", FamilyName: "Bianchi"}
	spec.Run(t, Fold, []spec.Decision[Participant]{
		{Name: "issuer enrols a member of its staff", When: enrol(spec.Issuer, giulia(), girasole), Then: []domain.Event{enrolled(giuliaData)}},
		{Name: "admin enrols", When: enrol(spec.Admin, giulia(), girasole), Then: []domain.Event{enrolled(giuliaData)}},
		{Name: "names and email are trimmed; email and birth date optional",
			When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.GivenName, c.FamilyName, c.Email, c.BirthDate = " Giulia ", "Bianchi\t", "", "" }), girasole),
			Then: []domain.Event{enrolled(bare)}},
		{Name: "names of 100 characters",
			When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.GivenName, c.Email, c.BirthDate = strings.Repeat("ü", 100), "", "" }), girasole),
			Then: []domain.Event{enrolled(domain.PersonalData{GivenName: strings.Repeat("ü", 100), FamilyName: "Bianchi"})}},
		{Name: "born today", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.Email, c.BirthDate = "", "2025-03-14" }), girasole),
			Then: []domain.Event{enrolled(domain.PersonalData{GivenName: "Giulia", FamilyName: "Bianchi", BirthDate: "2025-03-14"})}},
		{Name: "born exactly 100 years ago", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.Email, c.BirthDate = "", "1925-03-14" }), girasole),
			Then: []domain.Event{enrolled(domain.PersonalData{GivenName: "Giulia", FamilyName: "Bianchi", BirthDate: "1925-03-14"})}},
		{Name: "organisation not registered", When: enrol(spec.Admin, giulia(), organisation.Organisation{}), WantErr: domain.ErrNotFound, WantMsg: `organisation "E10208051"`},
		{Name: "command names another organisation", When: enrol(spec.Admin, giuliaWith(func(c *Enrol) { c.Org = "E20000002" }), girasole), WantErr: domain.ErrNotFound},
		{Name: "issuer of another organisation", When: enrol(spec.OtherIssuer, giulia(), girasole), WantErr: domain.ErrForbidden},
		{Name: "staff may not enrol", When: enrol(spec.Staff, giulia(), girasole), WantErr: domain.ErrForbidden},
		{Name: "already enrolled", Given: []domain.Event{enrolled(giuliaData)}, When: enrol(spec.Issuer, giulia(), girasole),
			WantErr: domain.ErrConflict, WantMsg: "participant p1 is already enrolled"},
		{Name: "bad id", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.ID = "p 1" }), girasole), WantErr: domain.ErrInvalid, WantMsg: "id"},
		{Name: "role missing", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.Role = "" }), girasole), WantErr: domain.ErrInvalid, WantMsg: "role is required"},
		{Name: "role unknown", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.Role = "nurse" }), girasole), WantErr: domain.ErrInvalid, WantMsg: `role "nurse"`},
		{Name: "given name missing", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.GivenName = "" }), girasole), WantErr: domain.ErrInvalid, WantMsg: "given_name is required"},
		{Name: "family name blank", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.FamilyName = "  " }), girasole), WantErr: domain.ErrInvalid, WantMsg: "family_name is required"},
		{Name: "given name of 101 characters", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.GivenName = strings.Repeat("a", 101) }), girasole),
			WantErr: domain.ErrInvalid, WantMsg: "given_name has 101 characters"},
		{Name: "family name with a control character", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.FamilyName = "Bi\x1banchi" }), girasole),
			WantErr: domain.ErrInvalid, WantMsg: "family_name"},
		{Name: "email without domain", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.Email = "giulia" }), girasole), WantErr: domain.ErrInvalid, WantMsg: `email "giulia"`},
		{Name: "email with display name", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.Email = "Giulia <giulia@example.it>" }), girasole), WantErr: domain.ErrInvalid, WantMsg: "email"},
		{Name: "email of two addresses", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.Email = "a@example.it, b@example.it" }), girasole), WantErr: domain.ErrInvalid, WantMsg: "email"},
		{Name: "birth date not ISO 8601", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.BirthDate = "02/06/1988" }), girasole),
			WantErr: domain.ErrInvalid, WantMsg: `birth_date "02/06/1988"`},
		{Name: "birth date that does not exist", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.BirthDate = "1988-02-30" }), girasole), WantErr: domain.ErrInvalid, WantMsg: "birth_date"},
		{Name: "born tomorrow", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.BirthDate = "2025-03-15" }), girasole),
			WantErr: domain.ErrInvalid, WantMsg: "birth_date 2025-03-15 is in the future"},
		{Name: "born more than 100 years ago", When: enrol(spec.Issuer, giuliaWith(func(c *Enrol) { c.BirthDate = "1925-03-13" }), girasole),
			WantErr: domain.ErrInvalid, WantMsg: "birth_date 1925-03-13 is more than 100 years ago"},
	})
}

func erase(by domain.Actor) func(Participant) ([]domain.Event, error) {
	return func(p Participant) ([]domain.Event, error) { return p.Erase(by, now) }
}

func TestErase(t *testing.T) {
	given := []domain.Event{enrolled(giuliaData)}
	spec.Run(t, Fold, []spec.Decision[Participant]{
		{Name: "issuer erases", Given: given, When: erase(spec.Issuer), Then: []domain.Event{Erased{ParticipantID: "p1"}}},
		{Name: "admin erases", Given: given, When: erase(spec.Admin), Then: []domain.Event{Erased{ParticipantID: "p1"}}},
		{Name: "not enrolled", When: erase(spec.Admin), WantErr: domain.ErrNotFound},
		{Name: "issuer of another organisation", Given: given, When: erase(spec.OtherIssuer), WantErr: domain.ErrForbidden},
		{Name: "staff may not erase", Given: given, When: erase(spec.Staff), WantErr: domain.ErrForbidden},
		{Name: "already erased", Given: append(given, Erased{ParticipantID: "p1"}), When: erase(spec.Issuer),
			WantErr: domain.ErrConflict, WantMsg: "participant p1 is already erased"},
	})
}

func TestFold(t *testing.T) {
	tests := []struct {
		name   string
		events []domain.Event
		want   Participant
	}{
		{"nothing", nil, Participant{}},
		{"enrolled", []domain.Event{enrolled(giuliaData)},
			Participant{ID: "p1", Org: "E10208051", Role: RoleECECAssisting, Personal: giuliaData, Version: 1}},
		{"erased", []domain.Event{enrolled(giuliaData), Erased{ParticipantID: "p1"}},
			Participant{ID: "p1", Org: "E10208051", Role: RoleECECAssisting, Personal: domain.PersonalData{Erased: true}, Erased: true, Version: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.events...); got != tt.want {
				t.Errorf("Fold = %+v, want %+v", got, tt.want)
			}
			if got := Fold(tt.events...); got.Exists() != (len(tt.events) > 0) {
				t.Errorf("Exists = %v after %d events", got.Exists(), len(tt.events))
			}
		})
	}
}

func TestEnrolledIsPersonal(t *testing.T) {
	var e domain.Event = enrolled(giuliaData)
	pe, ok := e.(domain.Personal)
	if !ok {
		t.Fatal("Enrolled does not implement domain.Personal")
	}
	if pe.PersonalSubject() != "p1" || pe.Personal() != giuliaData {
		t.Errorf("subject %q, personal %+v", pe.PersonalSubject(), pe.Personal())
	}
	erased := domain.PersonalData{Erased: true}
	if got := pe.WithPersonal(erased); got != enrolled(erased) {
		t.Errorf("WithPersonal = %+v", got)
	}
	if pe.Personal() != giuliaData {
		t.Error("WithPersonal changed the original event")
	}
}
