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
	admin       = domain.Actor{Subject: "root", Roles: []domain.Role{domain.RoleAdmin}}
	issuer      = domain.Actor{Subject: "i1", Roles: []domain.Role{domain.RoleIssuer}, Org: "E10208051"}
	otherIssuer = domain.Actor{Subject: "i2", Roles: []domain.Role{domain.RoleIssuer}, Org: "E20000002"}
	staff       = domain.Actor{Subject: "p1", Roles: []domain.Role{domain.RoleStaff}}
	now         = time.Date(2025, 3, 14, 23, 30, 0, 0, time.UTC)
	girasole    = organisation.Fold(organisation.Registered{OID: "E10208051", Name: "Girasole", Country: "IT", Kind: organisation.KindECECCentre})
)

// decision is one given/when/then case: the events of the stream, the decision
// taken on their fold, and the events or error kind it must yield.
type decision struct {
	name    string
	given   []domain.Event
	when    func(Participant) ([]domain.Event, error)
	then    []domain.Event
	wantErr error
	wantMsg string
}

func run(t *testing.T, tests []decision) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.when(Fold(tt.given...))
			spec.Then(t, got, err, tt.then, tt.wantErr, tt.wantMsg)
		})
	}
}

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
	run(t, []decision{
		{name: "issuer enrols a member of its staff", when: enrol(issuer, giulia(), girasole), then: []domain.Event{enrolled(giuliaData)}},
		{name: "admin enrols", when: enrol(admin, giulia(), girasole), then: []domain.Event{enrolled(giuliaData)}},
		{name: "names and email are trimmed; email and birth date optional",
			when: enrol(issuer, giuliaWith(func(c *Enrol) { c.GivenName, c.FamilyName, c.Email, c.BirthDate = " Giulia ", "Bianchi\t", "", "" }), girasole),
			then: []domain.Event{enrolled(bare)}},
		{name: "names of 100 characters",
			when: enrol(issuer, giuliaWith(func(c *Enrol) { c.GivenName, c.Email, c.BirthDate = strings.Repeat("ü", 100), "", "" }), girasole),
			then: []domain.Event{enrolled(domain.PersonalData{GivenName: strings.Repeat("ü", 100), FamilyName: "Bianchi"})}},
		{name: "born today", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.Email, c.BirthDate = "", "2025-03-14" }), girasole),
			then: []domain.Event{enrolled(domain.PersonalData{GivenName: "Giulia", FamilyName: "Bianchi", BirthDate: "2025-03-14"})}},
		{name: "born exactly 100 years ago", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.Email, c.BirthDate = "", "1925-03-14" }), girasole),
			then: []domain.Event{enrolled(domain.PersonalData{GivenName: "Giulia", FamilyName: "Bianchi", BirthDate: "1925-03-14"})}},
		{name: "organisation not registered", when: enrol(admin, giulia(), organisation.Organisation{}), wantErr: domain.ErrNotFound, wantMsg: `organisation "E10208051"`},
		{name: "command names another organisation", when: enrol(admin, giuliaWith(func(c *Enrol) { c.Org = "E20000002" }), girasole), wantErr: domain.ErrNotFound},
		{name: "issuer of another organisation", when: enrol(otherIssuer, giulia(), girasole), wantErr: domain.ErrForbidden},
		{name: "staff may not enrol", when: enrol(staff, giulia(), girasole), wantErr: domain.ErrForbidden},
		{name: "already enrolled", given: []domain.Event{enrolled(giuliaData)}, when: enrol(issuer, giulia(), girasole),
			wantErr: domain.ErrConflict, wantMsg: "participant p1 is already enrolled"},
		{name: "bad id", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.ID = "p 1" }), girasole), wantErr: domain.ErrInvalid, wantMsg: "id"},
		{name: "role missing", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.Role = "" }), girasole), wantErr: domain.ErrInvalid, wantMsg: "role is required"},
		{name: "role unknown", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.Role = "nurse" }), girasole), wantErr: domain.ErrInvalid, wantMsg: `role "nurse"`},
		{name: "given name missing", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.GivenName = "" }), girasole), wantErr: domain.ErrInvalid, wantMsg: "given_name is required"},
		{name: "family name blank", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.FamilyName = "  " }), girasole), wantErr: domain.ErrInvalid, wantMsg: "family_name is required"},
		{name: "given name of 101 characters", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.GivenName = strings.Repeat("a", 101) }), girasole),
			wantErr: domain.ErrInvalid, wantMsg: "given_name has 101 characters"},
		{name: "family name with a control character", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.FamilyName = "Bi\x1banchi" }), girasole),
			wantErr: domain.ErrInvalid, wantMsg: "family_name"},
		{name: "email without domain", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.Email = "giulia" }), girasole), wantErr: domain.ErrInvalid, wantMsg: `email "giulia"`},
		{name: "email with display name", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.Email = "Giulia <giulia@example.it>" }), girasole), wantErr: domain.ErrInvalid, wantMsg: "email"},
		{name: "email of two addresses", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.Email = "a@example.it, b@example.it" }), girasole), wantErr: domain.ErrInvalid, wantMsg: "email"},
		{name: "birth date not ISO 8601", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.BirthDate = "02/06/1988" }), girasole),
			wantErr: domain.ErrInvalid, wantMsg: `birth_date "02/06/1988"`},
		{name: "birth date that does not exist", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.BirthDate = "1988-02-30" }), girasole), wantErr: domain.ErrInvalid, wantMsg: "birth_date"},
		{name: "born tomorrow", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.BirthDate = "2025-03-15" }), girasole),
			wantErr: domain.ErrInvalid, wantMsg: "birth_date 2025-03-15 is in the future"},
		{name: "born more than 100 years ago", when: enrol(issuer, giuliaWith(func(c *Enrol) { c.BirthDate = "1925-03-13" }), girasole),
			wantErr: domain.ErrInvalid, wantMsg: "birth_date 1925-03-13 is more than 100 years ago"},
	})
}

func erase(by domain.Actor) func(Participant) ([]domain.Event, error) {
	return func(p Participant) ([]domain.Event, error) { return p.Erase(by, now) }
}

func TestErase(t *testing.T) {
	given := []domain.Event{enrolled(giuliaData)}
	run(t, []decision{
		{name: "issuer erases", given: given, when: erase(issuer), then: []domain.Event{Erased{ParticipantID: "p1"}}},
		{name: "admin erases", given: given, when: erase(admin), then: []domain.Event{Erased{ParticipantID: "p1"}}},
		{name: "not enrolled", when: erase(admin), wantErr: domain.ErrNotFound},
		{name: "issuer of another organisation", given: given, when: erase(otherIssuer), wantErr: domain.ErrForbidden},
		{name: "staff may not erase", given: given, when: erase(staff), wantErr: domain.ErrForbidden},
		{name: "already erased", given: append(given, Erased{ParticipantID: "p1"}), when: erase(issuer),
			wantErr: domain.ErrConflict, wantMsg: "participant p1 is already erased"},
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
