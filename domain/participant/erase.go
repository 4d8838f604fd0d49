package participant

import (
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Erase decides on erasing the participant's personal data. The erasure is
// final; the participant's mobilities and credentials stay in the ledger with
// the name reading as erased.
func (p Participant) Erase(by domain.Actor, at time.Time) ([]domain.Event, error) {
	if !p.Exists() {
		return nil, domain.NotFoundf("participant not found")
	}
	if !by.ActsFor(p.Org) {
		return nil, domain.Forbiddenf("only organisation %s may erase its participant %s", p.Org, p.ID)
	}
	if p.Erased {
		return nil, domain.Conflictf("participant %s is already erased", p.ID)
	}
	return []domain.Event{Erased{ParticipantID: p.ID}}, nil
}
