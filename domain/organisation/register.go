package organisation

import (
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Register is the command to register an organisation. An empty Kind means
// KindOther; Accreditation is optional.
type Register struct {
	OID           string
	Name          string
	Country       string
	Kind          Kind
	Accreditation string
}

// maxName is the longest organisation name, in runes.
const maxName = 200

// Register decides on registering the organisation whose stream o was folded
// from. Only admins register organisations, each OID once. The registration
// event carries no time of its own: the log records when it was appended.
func (o Organisation) Register(by domain.Actor, cmd Register, at time.Time) ([]domain.Event, error) {
	if !by.Has(domain.RoleAdmin) {
		return nil, domain.Forbiddenf("only an admin may register an organisation")
	}
	if o.Exists() {
		return nil, domain.Conflictf("organisation %s is already registered", o.OID)
	}
	e := Registered{
		OID:           cmd.OID,
		Name:          strings.TrimSpace(cmd.Name),
		Country:       cmd.Country,
		Kind:          cmd.Kind,
		Accreditation: cmd.Accreditation,
	}
	if e.Kind == "" {
		e.Kind = KindOther
	}
	if err := e.validate(); err != nil {
		return nil, err
	}
	return []domain.Event{e}, nil
}

// validate checks the registration as it will be stored.
func (e Registered) validate() error {
	if err := domain.ValidOID("oid", e.OID); err != nil {
		return err
	}
	if err := domain.ValidText("name", e.Name, maxName, true); err != nil {
		return err
	}
	if err := domain.ValidCountry("country", e.Country); err != nil {
		return err
	}
	if !e.Kind.Known() {
		return domain.Invalidf("kind %q is not one of ecec_centre, school, vet_provider, course_provider, other", e.Kind)
	}
	if e.Accreditation != "" {
		return domain.ValidAccreditation("accreditation", e.Accreditation)
	}
	return nil
}
