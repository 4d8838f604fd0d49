// Package participant is the aggregate of a staff member enrolled by their
// organisation: an ECEC practitioner, teacher or trainer who goes on mobilities.
// Its stream is domain.ParticipantStream(id). Personal data lives only in the
// enrolment event, which the log stores sealed under the participant's key.
package participant

import "github.com/erasmus-ledger/ledger/domain"

// Role is the participant's professional role in their organisation.
type Role string

// The roles. ECEC core practitioners (qualified educators) and assisting
// practitioners (assistants) are told apart because their CPD differs.
const (
	RoleECECCore      Role = "ecec_core_practitioner"
	RoleECECAssisting Role = "ecec_assisting_practitioner"
	RoleTeacher       Role = "teacher"
	RoleSchoolLeader  Role = "school_leader"
	RoleVETTrainer    Role = "vet_trainer"
	RoleOther         Role = "other"
)

// Known reports whether r is one of the roles above.
func (r Role) Known() bool {
	switch r {
	case RoleECECCore, RoleECECAssisting, RoleTeacher, RoleSchoolLeader, RoleVETTrainer, RoleOther:
		return true
	}
	return false
}

// Participant is the state of one participant, folded from their stream.
// Version is the number of events folded, whether Apply knows them or not, so
// it is the stream's version and the expected version of the next append.
// Once Erased, Personal reads as erased whatever the events held.
type Participant struct {
	ID       string
	Org      string
	Role     Role
	Personal domain.PersonalData
	Erased   bool
	Version  uint64
}

// Exists reports whether the participant has been enrolled.
func (p Participant) Exists() bool { return p.ID != "" }

// Apply folds one event of the participant's stream into p. It ignores event
// types it does not know.
func (p *Participant) Apply(e domain.Event) {
	p.Version++
	switch e := e.(type) {
	case Enrolled:
		p.ID, p.Org, p.Role, p.Personal = e.ParticipantID, e.Org, e.Role, e.PersonalData
	case Erased:
		p.Erased = true
		p.Personal = domain.PersonalData{Erased: true}
	}
}

// Fold is the state after events, in stream order.
func Fold(events ...domain.Event) Participant {
	var p Participant
	for _, e := range events {
		p.Apply(e)
	}
	return p
}
