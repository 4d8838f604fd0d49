package mobility

import (
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Cancel is the command to call off a mobility that has not been completed.
type Cancel struct {
	Reason string
}

// maxReason is the longest reason for a cancellation, in runes.
const maxReason = 500

// Cancel decides on cancelling the mobility. Only a planned mobility can be
// cancelled; the cancellation is final.
func (m Mobility) Cancel(by domain.Actor, cmd Cancel, at time.Time) ([]domain.Event, error) {
	if err := m.authorise(by); err != nil {
		return nil, err
	}
	switch m.State {
	case StateCancelled:
		return nil, domain.Conflictf("mobility %s is already cancelled", m.ID)
	case StateCompleted, StateRecognised:
		return nil, domain.Conflictf("mobility %s is completed and cannot be cancelled", m.ID)
	}
	reason := strings.TrimSpace(cmd.Reason)
	if err := domain.ValidProse("reason", reason, maxReason, true); err != nil {
		return nil, err
	}
	return []domain.Event{Cancelled{MobilityID: m.ID, Reason: reason}}, nil
}
