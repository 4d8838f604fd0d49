package mobility

import "github.com/erasmus-ledger/ledger/domain"

// Agreed records the learning agreement: who goes where, to do what, when, and
// what they are to learn. SendingOrg is the participant's organisation.
type Agreed struct {
	MobilityID    string           `json:"mobility_id"`
	ParticipantID string           `json:"participant_id"`
	SendingOrg    string           `json:"sending_org"`
	Host          Host             `json:"host"`
	Activity      Activity         `json:"activity"`
	StartDate     domain.Date      `json:"start_date"`
	EndDate       domain.Date      `json:"end_date"`
	ProjectCode   string           `json:"project_code"`
	Language      string           `json:"language"`
	Outcomes      []PlannedOutcome `json:"outcomes"`
}

// EventType is the stored name of Agreed.
func (Agreed) EventType() string { return "mobility.agreed" }

// Completed records what happened: the actual dates and the result of every
// planned outcome. ECTS (credits) and Hours (of learning) are nil when not
// awarded.
type Completed struct {
	MobilityID string          `json:"mobility_id"`
	StartDate  domain.Date     `json:"start_date"`
	EndDate    domain.Date     `json:"end_date"`
	Results    []OutcomeResult `json:"results"`
	ECTS       *float64        `json:"ects"`
	Hours      *float64        `json:"hours"`
}

// EventType is the stored name of Completed.
func (Completed) EventType() string { return "mobility.completed" }

// Cancelled records that a mobility was called off before completion.
type Cancelled struct {
	MobilityID string `json:"mobility_id"`
	Reason     string `json:"reason"`
}

// EventType is the stored name of Cancelled.
func (Cancelled) EventType() string { return "mobility.cancelled" }

// Recognised records the sending organisation's recognition decision on a
// completed mobility.
type Recognised struct {
	MobilityID string   `json:"mobility_id"`
	Decision   Decision `json:"decision"`
	Note       string   `json:"note"`
}

// EventType is the stored name of Recognised.
func (Recognised) EventType() string { return "mobility.recognised" }

// EventTypes returns a zero value of every event type of the package, for
// decoders. Apply expects events as these values, not as pointers to them.
func EventTypes() []domain.Event {
	return []domain.Event{Agreed{}, Completed{}, Cancelled{}, Recognised{}}
}
