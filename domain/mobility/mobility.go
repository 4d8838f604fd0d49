// Package mobility is the aggregate of one staff mobility: its learning
// agreement, its completion with the outcomes achieved, its cancellation and
// its recognition. Its stream is domain.MobilityStream(id).
package mobility

import (
	"slices"

	"github.com/erasmus-ledger/ledger/domain"
)

// Mobility is the state of one mobility, folded from its stream. PlannedStart
// and PlannedEnd are the agreed dates; the actual ones are in Completion.
// Completion stays set once the mobility is recognised. Version is the number
// of events folded, whether Apply knows them or not, so it is the stream's
// version and the expected version of the next append.
type Mobility struct {
	ID            string
	ParticipantID string
	SendingOrg    string
	Host          Host
	Activity      Activity
	PlannedStart  domain.Date
	PlannedEnd    domain.Date
	ProjectCode   string
	Language      string
	Outcomes      []PlannedOutcome
	State         State
	Completion    *Completed
	Cancellation  *Cancelled
	Recognition   *Recognised
	Version       uint64
}

// Exists reports whether the mobility has been agreed.
func (m Mobility) Exists() bool { return m.ID != "" }

// Apply folds one event of the mobility's stream into m. It ignores event
// types it does not know. The state never shares slices with the events.
func (m *Mobility) Apply(e domain.Event) {
	m.Version++
	switch e := e.(type) {
	case Agreed:
		m.ID, m.ParticipantID, m.SendingOrg, m.Host = e.MobilityID, e.ParticipantID, e.SendingOrg, e.Host
		m.Activity, m.PlannedStart, m.PlannedEnd = e.Activity, e.StartDate, e.EndDate
		m.ProjectCode, m.Language, m.Outcomes = e.ProjectCode, e.Language, slices.Clone(e.Outcomes)
		m.State = StatePlanned
	case Completed:
		e.Results = slices.Clone(e.Results)
		m.Completion, m.State = &e, StateCompleted
	case Cancelled:
		m.Cancellation, m.State = &e, StateCancelled
	case Recognised:
		m.Recognition, m.State = &e, StateRecognised
	}
}

// Fold is the state after events, in stream order.
func Fold(events ...domain.Event) Mobility {
	var m Mobility
	for _, e := range events {
		m.Apply(e)
	}
	return m
}

// authorise checks that the mobility exists and that by may act for its
// sending organisation, the only one that records what becomes of it.
func (m Mobility) authorise(by domain.Actor) error {
	if !m.Exists() {
		return domain.NotFoundf("mobility not found")
	}
	if !by.ActsFor(m.SendingOrg) {
		return domain.Forbiddenf("only the sending organisation %s may act on mobility %s", m.SendingOrg, m.ID)
	}
	return nil
}
