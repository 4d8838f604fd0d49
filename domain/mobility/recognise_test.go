package mobility

import (
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
)

func recogniseBy(by domain.Actor, cmd Recognise) func(Mobility) ([]domain.Event, error) {
	return func(m Mobility) ([]domain.Event, error) { return m.Recognise(by, cmd, now) }
}

func TestRecognise(t *testing.T) {
	done := []domain.Event{agreed(), completed()}
	full := Recognise{Decision: DecisionFull, Note: "Counts towards the annual CPD plan."}
	spec.Run(t, Fold, []spec.Decision[Mobility]{
		{Name: "issuer recognises a completed mobility", Given: done, When: recogniseBy(spec.Issuer, full),
			Then: []domain.Event{Recognised{MobilityID: "m1", Decision: DecisionFull, Note: "Counts towards the annual CPD plan."}}},
		{Name: "admin decides none, note trimmed", Given: done, When: recogniseBy(spec.Admin, Recognise{Decision: DecisionNone, Note: " Not aligned with the plan.\n"}),
			Then: []domain.Event{Recognised{MobilityID: "m1", Decision: DecisionNone, Note: "Not aligned with the plan."}}},
		{Name: "partial without note", Given: done, When: recogniseBy(spec.Issuer, Recognise{Decision: DecisionPartial}),
			Then: []domain.Event{Recognised{MobilityID: "m1", Decision: DecisionPartial}}},
		{Name: "note of 2000 characters", Given: done, When: recogniseBy(spec.Issuer, Recognise{Decision: DecisionFull, Note: strings.Repeat("n", 2000)}),
			Then: []domain.Event{Recognised{MobilityID: "m1", Decision: DecisionFull, Note: strings.Repeat("n", 2000)}}},
		{Name: "not agreed", When: recogniseBy(spec.Admin, full), WantErr: domain.ErrNotFound},
		{Name: "issuer of another organisation", Given: done, When: recogniseBy(spec.OtherIssuer, full), WantErr: domain.ErrForbidden},
		{Name: "staff may not recognise", Given: done, When: recogniseBy(spec.Staff, full), WantErr: domain.ErrForbidden},
		{Name: "planned", Given: []domain.Event{agreed()}, When: recogniseBy(spec.Issuer, full),
			WantErr: domain.ErrConflict, WantMsg: "mobility m1 is planned: recognition only after completion"},
		{Name: "cancelled", Given: []domain.Event{agreed(), Cancelled{MobilityID: "m1", Reason: "Illness"}}, When: recogniseBy(spec.Issuer, full),
			WantErr: domain.ErrConflict, WantMsg: "recognition only after completion"},
		{Name: "already recognised", Given: append(done, Recognised{MobilityID: "m1", Decision: DecisionPartial}), When: recogniseBy(spec.Issuer, full),
			WantErr: domain.ErrConflict, WantMsg: "mobility m1 is already recognised"},
		{Name: "no decision", Given: done, When: recogniseBy(spec.Issuer, Recognise{}), WantErr: domain.ErrInvalid, WantMsg: "decision is required"},
		{Name: "unknown decision", Given: done, When: recogniseBy(spec.Issuer, Recognise{Decision: "yes"}), WantErr: domain.ErrInvalid, WantMsg: `decision "yes"`},
		{Name: "note of 2001 characters", Given: done, When: recogniseBy(spec.Issuer, Recognise{Decision: DecisionFull, Note: strings.Repeat("n", 2001)}),
			WantErr: domain.ErrInvalid, WantMsg: "note has 2001 characters"},
	})
}
