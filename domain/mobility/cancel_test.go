package mobility

import (
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
)

func cancelBy(by domain.Actor, reason string) func(Mobility) ([]domain.Event, error) {
	return func(m Mobility) ([]domain.Event, error) { return m.Cancel(by, Cancel{Reason: reason}, now) }
}

func TestCancel(t *testing.T) {
	given := []domain.Event{agreed()}
	run(t, []decision{
		{name: "issuer cancels", given: given, when: cancelBy(issuer, "The host centre closed for renovation."),
			then: []domain.Event{Cancelled{MobilityID: "m1", Reason: "The host centre closed for renovation."}}},
		{name: "admin cancels, reason trimmed", given: given, when: cancelBy(admin, "  Illness\n"),
			then: []domain.Event{Cancelled{MobilityID: "m1", Reason: "Illness"}}},
		{name: "reason of 500 characters", given: given, when: cancelBy(issuer, strings.Repeat("r", 500)),
			then: []domain.Event{Cancelled{MobilityID: "m1", Reason: strings.Repeat("r", 500)}}},
		{name: "not agreed", when: cancelBy(admin, "Illness"), wantErr: domain.ErrNotFound},
		{name: "issuer of another organisation", given: given, when: cancelBy(otherIssuer, "Illness"), wantErr: domain.ErrForbidden},
		{name: "staff may not cancel", given: given, when: cancelBy(staff, "Illness"), wantErr: domain.ErrForbidden},
		{name: "completed", given: append(given, completed()), when: cancelBy(issuer, "Illness"),
			wantErr: domain.ErrConflict, wantMsg: "mobility m1 is completed and cannot be cancelled"},
		{name: "recognised", given: append(given, completed(), Recognised{MobilityID: "m1", Decision: DecisionFull}), when: cancelBy(issuer, "Illness"),
			wantErr: domain.ErrConflict},
		{name: "already cancelled", given: append(given, Cancelled{MobilityID: "m1", Reason: "Illness"}), when: cancelBy(issuer, "Illness"),
			wantErr: domain.ErrConflict, wantMsg: "mobility m1 is already cancelled"},
		{name: "no reason", given: given, when: cancelBy(issuer, " "), wantErr: domain.ErrInvalid, wantMsg: "reason is required"},
		{name: "reason of 501 characters", given: given, when: cancelBy(issuer, strings.Repeat("r", 501)),
			wantErr: domain.ErrInvalid, wantMsg: "reason has 501 characters"},
	})
}
