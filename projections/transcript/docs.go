// Package transcript is the read model behind staff transcripts: per
// participant, every mobility with its sending and host organisation, activity,
// dates, planned outcomes and results, credits, recognition decision and
// credentials, following the sections of the Europass Mobility document. It
// holds no personal data: the holder's name is opened from the participant's
// stream when a transcript is shown.
package transcript

import (
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
)

// The document keys: one document per participant, mobility, credential and
// organisation. Their prefixes are stored and never change.
const (
	participantPrefix  = "p/"
	mobilityPrefix     = "m/"
	credentialPrefix   = "c/"
	organisationPrefix = "o/"
)

func participantKey(id string) string  { return participantPrefix + id }
func mobilityKey(id string) string     { return mobilityPrefix + id }
func credentialKey(id string) string   { return credentialPrefix + id }
func organisationKey(id string) string { return organisationPrefix + id }

// Participant is a participant's document: their organisation and role, and
// their mobilities in the order they were agreed.
type Participant struct {
	ID         string     `json:"id"`
	Org        string     `json:"org"`
	Role       string     `json:"role"`
	EnrolledAt time.Time  `json:"enrolled_at"`
	Erased     bool       `json:"erased"`
	ErasedAt   *time.Time `json:"erased_at,omitempty"`
	Mobilities []string   `json:"mobilities"`
}

// Organisation is what a transcript shows of an organisation.
type Organisation struct {
	OID           string `json:"oid"`
	Name          string `json:"name"`
	Country       string `json:"country"`
	Kind          string `json:"kind"`
	Accreditation string `json:"accreditation,omitempty"`
}

// Mobility is a mobility's document: the learning agreement, what became of
// it, and the credentials issued for it. Start and End are the actual dates
// once completed, the planned ones before.
type Mobility struct {
	ID            string            `json:"id"`
	ParticipantID string            `json:"participant_id"`
	SendingOrg    string            `json:"sending_org"`
	Host          mobility.Host     `json:"host"`
	Activity      mobility.Activity `json:"activity"`
	ProjectCode   string            `json:"project_code,omitempty"`
	Language      string            `json:"language,omitempty"`
	State         mobility.State    `json:"state"`
	PlannedStart  domain.Date       `json:"planned_start"`
	PlannedEnd    domain.Date       `json:"planned_end"`
	Start         domain.Date       `json:"start"`
	End           domain.Date       `json:"end"`
	Outcomes      []Outcome         `json:"outcomes"`
	ECTS          *float64          `json:"ects,omitempty"`
	Hours         *float64          `json:"hours,omitempty"`
	AgreedAt      time.Time         `json:"agreed_at"`
	CompletedAt   *time.Time        `json:"completed_at,omitempty"`
	Cancellation  *Cancellation     `json:"cancellation,omitempty"`
	Recognition   *Recognition      `json:"recognition,omitempty"`
	Credentials   []Credential      `json:"credentials"`
}

// Outcome is a planned learning outcome with its result, once there is one.
type Outcome struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	Description string          `json:"description,omitempty"`
	EQFLevel    int             `json:"eqf_level"`
	ESCOURI     string          `json:"esco_uri,omitempty"`
	Result      mobility.Result `json:"result,omitempty"`
	Evidence    string          `json:"evidence,omitempty"`
}

// Cancellation is why and when a mobility was called off.
type Cancellation struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// Recognition is the sending organisation's decision and when it was recorded.
type Recognition struct {
	Decision mobility.Decision `json:"decision"`
	Note     string            `json:"note,omitempty"`
	At       time.Time         `json:"at"`
}

// Credential is a credential issued for a mobility and where it stands.
// Status ignores expiry, which depends on when it is read. LogIndex is the
// index of the issuing event, which verifiers prove inclusion of.
type Credential struct {
	ID         string            `json:"id"`
	Status     credential.Status `json:"status"`
	IssuerOID  string            `json:"issuer_oid"`
	IssuedAt   time.Time         `json:"issued_at"`
	ValidFrom  time.Time         `json:"valid_from"`
	ValidUntil *time.Time        `json:"valid_until,omitempty"`
	RevokedAt  *time.Time        `json:"revoked_at,omitempty"`
	LogIndex   uint64            `json:"log_index"`
}

// CredentialRef leads from a credential to the mobility it attests, since
// status changes name the credential only.
type CredentialRef struct {
	Mobility string `json:"mobility"`
}
