package organisation

import (
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
)

var now = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

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
	spec.Run(t, Fold, []spec.Decision[Organisation]{
		{Name: "admin registers", When: register(spec.Admin, girasole()), Then: []domain.Event{registered}},
		{Name: "name is trimmed and kind defaults to other",
			When: register(spec.Admin, Register{OID: "E10208051", Name: "  Kita Sonnenschein ", Country: "DE"}),
			Then: []domain.Event{Registered{OID: "E10208051", Name: "Kita Sonnenschein", Country: "DE", Kind: KindOther}}},
		{Name: "with accreditation, Greece as EL",
			When: register(spec.Admin, Register{OID: "E10000001", Name: "Vrefonipiakos Stathmos", Country: "EL", Kind: KindSchool, Accreditation: "2021-1-EL01-KA120-SCH-000012345"}),
			Then: []domain.Event{Registered{OID: "E10000001", Name: "Vrefonipiakos Stathmos", Country: "EL", Kind: KindSchool, Accreditation: "2021-1-EL01-KA120-SCH-000012345"}}},
		{Name: "name of 200 characters", When: register(spec.Admin, girasoleWith(func(c *Register) { c.Name = strings.Repeat("é", 200) })),
			Then: []domain.Event{Registered{OID: "E10208051", Name: strings.Repeat("é", 200), Country: "IT", Kind: KindECECCentre}}},
		{Name: "issuer of the organisation may not register", When: register(spec.Issuer, girasole()), WantErr: domain.ErrForbidden},
		{Name: "staff may not register", When: register(spec.Staff, girasole()), WantErr: domain.ErrForbidden},
		{Name: "auditor may not register", When: register(spec.Auditor, girasole()), WantErr: domain.ErrForbidden},
		{Name: "actor without roles", When: register(domain.Actor{Subject: "x"}, girasole()), WantErr: domain.ErrForbidden},
		{Name: "already registered", Given: []domain.Event{registered}, When: register(spec.Admin, girasole()),
			WantErr: domain.ErrConflict, WantMsg: "organisation E10208051 is already registered"},
		{Name: "bad OID", When: register(spec.Admin, girasoleWith(func(c *Register) { c.OID = "E1020805" })), WantErr: domain.ErrInvalid, WantMsg: "oid"},
		{Name: "missing OID", When: register(spec.Admin, girasoleWith(func(c *Register) { c.OID = "" })), WantErr: domain.ErrInvalid, WantMsg: "oid is required"},
		{Name: "blank name", When: register(spec.Admin, girasoleWith(func(c *Register) { c.Name = "  " })), WantErr: domain.ErrInvalid, WantMsg: "name is required"},
		{Name: "name of 201 characters", When: register(spec.Admin, girasoleWith(func(c *Register) { c.Name = strings.Repeat("a", 201) })), WantErr: domain.ErrInvalid, WantMsg: "name has 201 characters"},
		{Name: "missing country", When: register(spec.Admin, girasoleWith(func(c *Register) { c.Country = "" })), WantErr: domain.ErrInvalid, WantMsg: "country is required"},
		{Name: "lower-case country", When: register(spec.Admin, girasoleWith(func(c *Register) { c.Country = "it" })), WantErr: domain.ErrInvalid, WantMsg: `country "it"`},
		{Name: "unknown kind", When: register(spec.Admin, girasoleWith(func(c *Register) { c.Kind = "university" })), WantErr: domain.ErrInvalid, WantMsg: `kind "university"`},
		{Name: "accreditation of another action", When: register(spec.Admin, girasoleWith(func(c *Register) { c.Accreditation = "2024-1-IT02-KA121-SCH-000123456" })),
			WantErr: domain.ErrInvalid, WantMsg: "accreditation"},
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
