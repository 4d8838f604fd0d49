package participant

import (
	"net/mail"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/organisation"
)

// Enrol is the command to enrol a staff member of organisation Org under the
// new ID. Email and BirthDate (YYYY-MM-DD) are optional.
type Enrol struct {
	ID         string
	Org        string
	Role       Role
	GivenName  string
	FamilyName string
	Email      string
	BirthDate  string
}

// The limits on personal data.
const (
	maxName  = 100 // runes, for each of the given and family names
	maxEmail = 254 // bytes, the longest address SMTP can carry
	maxAge   = 100 // years before the enrolment a birth date may lie
)

// Enrol decides on enrolling a staff member of org, the organisation named by
// cmd.Org, into the stream p was folded from. Only those acting for org may.
func (p Participant) Enrol(by domain.Actor, cmd Enrol, org organisation.Organisation, at time.Time) ([]domain.Event, error) {
	if !org.Exists() || org.OID != cmd.Org {
		return nil, domain.NotFoundf("organisation %q is not registered", cmd.Org)
	}
	if !by.ActsFor(org.OID) {
		return nil, domain.Forbiddenf("only organisation %s may enrol its staff", org.OID)
	}
	if p.Exists() {
		return nil, domain.Conflictf("participant %s is already enrolled", p.ID)
	}
	if err := cmd.validate(); err != nil {
		return nil, err
	}
	personal, err := cmd.personal(at)
	if err != nil {
		return nil, err
	}
	return []domain.Event{Enrolled{ParticipantID: cmd.ID, Org: org.OID, Role: cmd.Role, PersonalData: personal}}, nil
}

// validate checks the identifier and role of cmd.
func (cmd Enrol) validate() error {
	if err := domain.ValidID("id", cmd.ID); err != nil {
		return err
	}
	if cmd.Role == "" {
		return domain.Invalidf("role is required")
	}
	if !cmd.Role.Known() {
		return domain.Invalidf("role %q is not one of ecec_core_practitioner, ecec_assisting_practitioner, teacher, school_leader, vet_trainer, other", cmd.Role)
	}
	return nil
}

// personal checks the personal data of cmd, enrolled at time at, and returns
// it as stored: trimmed, with the birth date in ISO 8601 form.
func (cmd Enrol) personal(at time.Time) (domain.PersonalData, error) {
	pd := domain.PersonalData{
		GivenName:  strings.TrimSpace(cmd.GivenName),
		FamilyName: strings.TrimSpace(cmd.FamilyName),
		Email:      strings.TrimSpace(cmd.Email),
	}
	if err := domain.ValidText("given_name", pd.GivenName, maxName, true); err != nil {
		return pd, err
	}
	if err := domain.ValidText("family_name", pd.FamilyName, maxName, true); err != nil {
		return pd, err
	}
	if err := validEmail(pd.Email); err != nil {
		return pd, err
	}
	birth, err := birthDate(cmd.BirthDate, domain.DateOf(at))
	pd.BirthDate = birth.String()
	return pd, err
}

// validEmail checks an optional bare e-mail address, such as anna@example.it.
func validEmail(s string) error {
	if s == "" {
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > maxEmail {
		return domain.Invalidf("email %q is not an e-mail address such as anna.rossi@example.it", s)
	}
	return nil
}

// birthDate parses an optional birth date, which must lie on or before today
// and at most maxAge years before it.
func birthDate(s string, today domain.Date) (domain.Date, error) {
	if s == "" {
		return domain.Date{}, nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return d, domain.Invalidf("birth_date %q is not a date of the form YYYY-MM-DD", s)
	}
	if d.After(today) {
		return d, domain.Invalidf("birth_date %s is in the future (today is %s)", d, today)
	}
	if earliest := domain.DateOf(today.Time().AddDate(-maxAge, 0, 0)); d.Before(earliest) {
		return d, domain.Invalidf("birth_date %s is more than %d years ago (before %s)", d, maxAge, earliest)
	}
	return d, nil
}
