package organisation

import (
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
)

var (
	admin  = domain.Actor{Subject: "root", Roles: []domain.Role{domain.RoleAdmin}}
	issuer = domain.Actor{Subject: "i1", Roles: []domain.Role{domain.RoleIssuer}, Org: "E10208051"}
	now    = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
)

// decision is one given/when/then case: the events of the stream, the decision
// taken on their fold, and the events or error kind it must yield.
type decision struct {
	name    string
	given   []domain.Event
	when    func(Organisation) ([]domain.Event, error)
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

func register(by domain.Actor, cmd Register) func(Organisation) ([]domain.Event, error) {
	return func(o Organisation) ([]domain.Event, error) { return o.Register(by, cmd, now) }
}

func girasole() Register {
	return Register{OID: "E10208051", Name: "Scuola dell'Infanzia Girasole", Country: "IT", Kind: KindECECCentre}
}

func girasoleWith(f func(*Register)) Register {
	cmd := girasole()
	f(&cmd)
	return cmd
}

func TestRegister(t *testing.T) {
	registered := Registered{OID: "E10208051", Name: "Scuola dell'Infanzia Girasole", Country: "IT", Kind: KindECECCentre}
	run(t, []decision{
		{name: "admin registers", when: register(admin, girasole()), then: []domain.Event{registered}},
		{name: "name is trimmed and kind defaults to other",
			when: register(admin, Register{OID: "E10208051", Name: "  Kita Sonnenschein ", Country: "DE"}),
			then: []domain.Event{Registered{OID: "E10208051", Name: "Kita Sonnenschein", Country: "DE", Kind: KindOther}}},
		{name: "with accreditation, Greece as EL",
			when: register(admin, Register{OID: "E10000001", Name: "Vrefonipiakos Stathmos", Country: "EL", Kind: KindSchool, Accreditation: "2021-1-EL01-KA120-SCH-000012345"}),
			then: []domain.Event{Registered{OID: "E10000001", Name: "Vrefonipiakos Stathmos", Country: "EL", Kind: KindSchool, Accreditation: "2021-1-EL01-KA120-SCH-000012345"}}},
		{name: "name of 200 characters", when: register(admin, girasoleWith(func(c *Register) { c.Name = strings.Repeat("é", 200) })),
			then: []domain.Event{Registered{OID: "E10208051", Name: strings.Repeat("é", 200), Country: "IT", Kind: KindECECCentre}}},
		{name: "issuer of the organisation may not register", when: register(issuer, girasole()), wantErr: domain.ErrForbidden},
		{name: "staff may not register", when: register(domain.Actor{Subject: "p1", Roles: []domain.Role{domain.RoleStaff}}, girasole()), wantErr: domain.ErrForbidden},
		{name: "auditor may not register", when: register(domain.Actor{Roles: []domain.Role{domain.RoleAuditor}}, girasole()), wantErr: domain.ErrForbidden},
		{name: "actor without roles", when: register(domain.Actor{Subject: "x"}, girasole()), wantErr: domain.ErrForbidden},
		{name: "already registered", given: []domain.Event{registered}, when: register(admin, girasole()),
			wantErr: domain.ErrConflict, wantMsg: "organisation E10208051 is already registered"},
		{name: "bad OID", when: register(admin, girasoleWith(func(c *Register) { c.OID = "E1020805" })), wantErr: domain.ErrInvalid, wantMsg: "oid"},
		{name: "missing OID", when: register(admin, girasoleWith(func(c *Register) { c.OID = "" })), wantErr: domain.ErrInvalid, wantMsg: "oid is required"},
		{name: "blank name", when: register(admin, girasoleWith(func(c *Register) { c.Name = "  " })), wantErr: domain.ErrInvalid, wantMsg: "name is required"},
		{name: "name of 201 characters", when: register(admin, girasoleWith(func(c *Register) { c.Name = strings.Repeat("a", 201) })), wantErr: domain.ErrInvalid, wantMsg: "name has 201 characters"},
		{name: "missing country", when: register(admin, girasoleWith(func(c *Register) { c.Country = "" })), wantErr: domain.ErrInvalid, wantMsg: "country is required"},
		{name: "lower-case country", when: register(admin, girasoleWith(func(c *Register) { c.Country = "it" })), wantErr: domain.ErrInvalid, wantMsg: `country "it"`},
		{name: "unknown kind", when: register(admin, girasoleWith(func(c *Register) { c.Kind = "university" })), wantErr: domain.ErrInvalid, wantMsg: `kind "university"`},
		{name: "accreditation of another action", when: register(admin, girasoleWith(func(c *Register) { c.Accreditation = "2024-1-IT02-KA121-SCH-000123456" })),
			wantErr: domain.ErrInvalid, wantMsg: "accreditation"},
	})
}

// otherEvent is an event of another aggregate that shares the stream.
type otherEvent struct{}

func (otherEvent) EventType() string { return "organisation.key_created" }

func TestFold(t *testing.T) {
	registered := Registered{OID: "E10208051", Name: "Girasole", Country: "IT", Kind: KindSchool, Accreditation: "2021-1-IT02-KA120-SCH-000012345"}
	tests := []struct {
		name   string
		events []domain.Event
		want   Organisation
		exists bool
	}{
		{"nothing", nil, Organisation{}, false},
		{"registered", []domain.Event{registered},
			Organisation{OID: "E10208051", Name: "Girasole", Country: "IT", Kind: KindSchool, Accreditation: "2021-1-IT02-KA120-SCH-000012345", Version: 1}, true},
		{"unknown events count towards the version", []domain.Event{registered, otherEvent{}},
			Organisation{OID: "E10208051", Name: "Girasole", Country: "IT", Kind: KindSchool, Accreditation: "2021-1-IT02-KA120-SCH-000012345", Version: 2}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Fold(tt.events...)
			if got != tt.want || got.Exists() != tt.exists {
				t.Errorf("Fold = %+v (exists %v), want %+v (exists %v)", got, got.Exists(), tt.want, tt.exists)
			}
		})
	}
}
