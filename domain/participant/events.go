package participant

import "github.com/erasmus-ledger/ledger/domain"

// Enrolled records that an organisation enrolled a staff member. PersonalData
// is never stored in clear: Enrolled implements domain.Personal, so the encoder
// seals it under the participant's key and the decoder restores it. (The field
// cannot be called Personal: Go forbids a field and a method of one name.)
type Enrolled struct {
	ParticipantID string              `json:"participant_id"`
	Org           string              `json:"org"`
	Role          Role                `json:"role"`
	PersonalData  domain.PersonalData `json:"-"`
}

// EventType is the stored name of Enrolled.
func (Enrolled) EventType() string { return "participant.enrolled" }

// PersonalSubject is the participant whose key seals the personal data.
func (e Enrolled) PersonalSubject() string { return e.ParticipantID }

// Personal is the personal data the event carries.
func (e Enrolled) Personal() domain.PersonalData { return e.PersonalData }

// WithPersonal returns a copy of e carrying p.
func (e Enrolled) WithPersonal(p domain.PersonalData) domain.Event {
	e.PersonalData = p
	return e
}

// Erased records that the participant's personal data was erased (GDPR
// art. 17): their key is destroyed and the data can no longer be read.
type Erased struct {
	ParticipantID string `json:"participant_id"`
}

// EventType is the stored name of Erased.
func (Erased) EventType() string { return "participant.erased" }

// EventTypes returns a zero value of every event type of the package, for
// decoders. Apply expects events as these values, not as pointers to them.
func EventTypes() []domain.Event {
	return []domain.Event{Enrolled{}, Erased{}}
}

// Enrolled carries personal data; the encoder must find it through domain.Personal.
var _ domain.Personal = Enrolled{}
