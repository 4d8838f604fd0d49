package mobility

import (
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Recognise is the command to record the sending organisation's recognition
// decision, with an optional note.
type Recognise struct {
	Decision Decision
	Note     string
}

// maxNote is the longest note on a recognition decision, in runes.
const maxNote = 2000

// Recognise decides on recognising the mobility. Recognition comes only after
// completion, and once.
func (m Mobility) Recognise(by domain.Actor, cmd Recognise, at time.Time) ([]domain.Event, error) {
	if err := m.authorise(by); err != nil {
		return nil, err
	}
	if m.State == StateRecognised {
		return nil, domain.Conflictf("mobility %s is already recognised", m.ID)
	}
	if m.State != StateCompleted {
		return nil, domain.Conflictf("mobility %s is %s: recognition only after completion", m.ID, m.State)
	}
	if cmd.Decision == "" {
		return nil, domain.Invalidf("decision is required")
	}
	if !cmd.Decision.Known() {
		return nil, domain.Invalidf("decision %q is not one of full, partial, none", cmd.Decision)
	}
	note := strings.TrimSpace(cmd.Note)
	if err := domain.ValidProse("note", note, maxNote, false); err != nil {
		return nil, err
	}
	return []domain.Event{Recognised{MobilityID: m.ID, Decision: cmd.Decision, Note: note}}, nil
}
