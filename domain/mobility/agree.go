package mobility

import (
	"fmt"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/participant"
)

// Agree is the command to record the learning agreement of a new mobility.
// The caller generates ID and the outcome IDs.
type Agree struct {
	ID            string
	ParticipantID string
	Host          Host
	Activity      Activity
	StartDate     domain.Date
	EndDate       domain.Date
	ProjectCode   string
	Language      string
	Outcomes      []PlannedOutcome
}

// The limits on a learning agreement; lengths are in runes.
const (
	maxHostName    = 200
	maxOutcomes    = 30
	maxTitle       = 200
	maxDescription = 2000
)

// escoSkill is the namespace of ESCO skill URIs.
const escoSkill = "http://data.europa.eu/esco/skill/"

// Agree decides on the learning agreement of participant p, folded from the
// stream of cmd.ParticipantID, into the stream m was folded from. The sending
// organisation is the participant's; only those acting for it may agree.
func (m Mobility) Agree(by domain.Actor, cmd Agree, p participant.Participant, at time.Time) ([]domain.Event, error) {
	if !p.Exists() || p.ID != cmd.ParticipantID {
		return nil, domain.NotFoundf("participant %q not found", cmd.ParticipantID)
	}
	if p.Erased {
		return nil, domain.Conflictf("participant %s has been erased", p.ID)
	}
	if !by.ActsFor(p.Org) {
		return nil, domain.Forbiddenf("only organisation %s may record the mobilities of its participant %s", p.Org, p.ID)
	}
	if m.Exists() {
		return nil, domain.Conflictf("mobility %s already exists", m.ID)
	}
	e := cmd.agreed(p.Org)
	if err := e.validate(); err != nil {
		return nil, err
	}
	return []domain.Event{e}, nil
}

// agreed is the event cmd yields, with its free text trimmed.
func (cmd Agree) agreed(sendingOrg string) Agreed {
	outcomes := make([]PlannedOutcome, len(cmd.Outcomes))
	for i, o := range cmd.Outcomes {
		o.Title, o.Description = strings.TrimSpace(o.Title), strings.TrimSpace(o.Description)
		outcomes[i] = o
	}
	host := cmd.Host
	host.Name = strings.TrimSpace(host.Name)
	return Agreed{
		MobilityID: cmd.ID, ParticipantID: cmd.ParticipantID, SendingOrg: sendingOrg, Host: host,
		Activity: cmd.Activity, StartDate: cmd.StartDate, EndDate: cmd.EndDate,
		ProjectCode: cmd.ProjectCode, Language: cmd.Language, Outcomes: outcomes,
	}
}

// validate checks every rule of a learning agreement on the event it yields.
func (e Agreed) validate() error {
	if err := domain.ValidID("id", e.MobilityID); err != nil {
		return err
	}
	if err := e.Host.validate(); err != nil {
		return err
	}
	if err := checkActivity(e.Activity); err != nil {
		return err
	}
	if err := checkPeriod(e.Activity, e.StartDate, e.EndDate); err != nil {
		return err
	}
	if err := e.validCodes(); err != nil {
		return err
	}
	return checkOutcomes(e.Outcomes)
}

// validCodes checks the optional project code and language.
func (e Agreed) validCodes() error {
	if e.ProjectCode != "" {
		if err := domain.ValidProjectCode("project_code", e.ProjectCode); err != nil {
			return err
		}
	}
	if e.Language != "" {
		return domain.ValidLanguage("language", e.Language)
	}
	return nil
}

// validate checks that h names its organisation by OID, or by name and country.
func (h Host) validate() error {
	if h.OID == "" && (h.Name == "" || h.Country == "") {
		return domain.Invalidf("host needs an oid, or a name and a country")
	}
	if h.OID != "" {
		if err := domain.ValidOID("host.oid", h.OID); err != nil {
			return err
		}
	}
	if err := domain.ValidText("host.name", h.Name, maxHostName, false); err != nil {
		return err
	}
	if h.Country != "" {
		return domain.ValidCountry("host.country", h.Country)
	}
	return nil
}

// checkOutcomes checks the planned outcomes: 1 to maxOutcomes, each valid,
// with IDs unique.
func checkOutcomes(outcomes []PlannedOutcome) error {
	if len(outcomes) == 0 {
		return domain.Invalidf("planned_outcomes must hold at least one learning outcome")
	}
	if len(outcomes) > maxOutcomes {
		return domain.Invalidf("planned_outcomes has %d outcomes; at most %d are allowed", len(outcomes), maxOutcomes)
	}
	seen := make(map[string]bool, len(outcomes))
	for i, o := range outcomes {
		field := fmt.Sprintf("planned_outcomes[%d]", i)
		if err := o.validate(field); err != nil {
			return err
		}
		if seen[o.ID] {
			return domain.Invalidf("%s.id %q is used by another outcome", field, o.ID)
		}
		seen[o.ID] = true
	}
	return nil
}

// validate checks one planned outcome, named field in messages.
func (o PlannedOutcome) validate(field string) error {
	if err := domain.ValidID(field+".id", o.ID); err != nil {
		return err
	}
	if err := domain.ValidText(field+".title", o.Title, maxTitle, true); err != nil {
		return err
	}
	if err := domain.ValidProse(field+".description", o.Description, maxDescription, false); err != nil {
		return err
	}
	if o.EQFLevel < 1 || o.EQFLevel > 8 {
		return domain.Invalidf("%s.eqf_level %d is not an EQF level (1 to 8)", field, o.EQFLevel)
	}
	if o.ESCOURI == "" {
		return nil
	}
	if id, ok := strings.CutPrefix(o.ESCOURI, escoSkill); !ok || domain.ValidID("", id) != nil {
		return domain.Invalidf("%s.esco_uri %q is not an ESCO skill URI (%s followed by the skill's id)", field, o.ESCOURI, escoSkill)
	}
	return nil
}
