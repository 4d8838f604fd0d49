package mobility

import (
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
)

func recogniseBy(by domain.Actor, cmd Recognise) func(Mobility) ([]domain.Event, error) {
	return func(m Mobility) ([]domain.Event, error) { return m.Recognise(by, cmd, now) }
}

func TestRecognise(t *testing.T) {
	done := []domain.Event{agreed(), completed()}
	full := Recognise{Decision: DecisionFull, Note: "Counts towards the annual CPD plan."}
	run(t, []decision{
		{name: "issuer recognises a completed mobility", given: done, when: recogniseBy(issuer, full),
			then: []domain.Event{Recognised{MobilityID: "m1", Decision: DecisionFull, Note: "Counts towards the annual CPD plan."}}},
		{name: "admin decides none, note trimmed", given: done, when: recogniseBy(admin, Recognise{Decision: DecisionNone, Note: " Not aligned with the plan.\n"}),
			then: []domain.Event{Recognised{MobilityID: "m1", Decision: DecisionNone, Note: "Not aligned with the plan."}}},
		{name: "partial without note", given: done, when: recogniseBy(issuer, Recognise{Decision: DecisionPartial}),
			then: []domain.Event{Recognised{MobilityID: "m1", Decision: DecisionPartial}}},
		{name: "note of 2000 characters", given: done, when: recogniseBy(issuer, Recognise{Decision: DecisionFull, Note: strings.Repeat("n", 2000)}),
			then: []domain.Event{Recognised{MobilityID: "m1", Decision: DecisionFull, Note: strings.Repeat("n", 2000)}}},
		{name: "not agreed", when: recogniseBy(admin, full), wantErr: domain.ErrNotFound},
		{name: "issuer of another organisation", given: done, when: recogniseBy(otherIssuer, full), wantErr: domain.ErrForbidden},
		{name: "staff may not recognise", given: done, when: recogniseBy(staff, full), wantErr: domain.ErrForbidden},
		{name: "planned", given: []domain.Event{agreed()}, when: recogniseBy(issuer, full),
			wantErr: domain.ErrConflict, wantMsg: "mobility m1 is planned: recognition only after completion"},
		{name: "cancelled", given: []domain.Event{agreed(), Cancelled{MobilityID: "m1", Reason: "Illness"}}, when: recogniseBy(issuer, full),
			wantErr: domain.ErrConflict, wantMsg: "recognition only after completion"},
		{name: "already recognised", given: append(done, Recognised{MobilityID: "m1", Decision: DecisionPartial}), when: recogniseBy(issuer, full),
			wantErr: domain.ErrConflict, wantMsg: "mobility m1 is already recognised"},
		{name: "no decision", given: done, when: recogniseBy(issuer, Recognise{}), wantErr: domain.ErrInvalid, wantMsg: "decision is required"},
		{name: "unknown decision", given: done, when: recogniseBy(issuer, Recognise{Decision: "yes"}), wantErr: domain.ErrInvalid, wantMsg: `decision "yes"`},
		{name: "note of 2001 characters", given: done, when: recogniseBy(issuer, Recognise{Decision: DecisionFull, Note: strings.Repeat("n", 2001)}),
			wantErr: domain.ErrInvalid, wantMsg: "note has 2001 characters"},
	})
}
