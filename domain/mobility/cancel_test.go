package mobility

import (
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
)

func cancelBy(by domain.Actor, reason string) func(Mobility) ([]domain.Event, error) {
	return func(m Mobility) ([]domain.Event, error) { return m.Cancel(by, Cancel{Reason: reason}, now) }
}

func TestCancel(t *testing.T) {
	given := []domain.Event{agreed()}
	spec.Run(t, Fold, []spec.Decision[Mobility]{
		{Name: "issuer cancels", Given: given, When: cancelBy(spec.Issuer, "The host centre closed for renovation."),
			Then: []domain.Event{Cancelled{MobilityID: "m1", Reason: "The host centre closed for renovation."}}},
		{Name: "admin cancels, reason trimmed", Given: given, When: cancelBy(spec.Admin, "  Illness\n"),
			Then: []domain.Event{Cancelled{MobilityID: "m1", Reason: "Illness"}}},
		{Name: "reason of 500 characters", Given: given, When: cancelBy(spec.Issuer, strings.Repeat("r", 500)),
			Then: []domain.Event{Cancelled{MobilityID: "m1", Reason: strings.Repeat("r", 500)}}},
		{Name: "not agreed", When: cancelBy(spec.Admin, "Illness"), WantErr: domain.ErrNotFound},
		{Name: "issuer of another organisation", Given: given, When: cancelBy(spec.OtherIssuer, "Illness"), WantErr: domain.ErrForbidden},
		{Name: "staff may not cancel", Given: given, When: cancelBy(spec.Staff, "Illness"), WantErr: domain.ErrForbidden},
		{Name: "completed", Given: append(given, completed()), When: cancelBy(spec.Issuer, "Illness"),
			WantErr: domain.ErrConflict, WantMsg: "mobility m1 is completed and cannot be cancelled"},
		{Name: "recognised", Given: append(given, completed(), Recognised{MobilityID: "m1", Decision: DecisionFull}), When: cancelBy(spec.Issuer, "Illness"),
			WantErr: domain.ErrConflict},
		{Name: "already cancelled", Given: append(given, Cancelled{MobilityID: "m1", Reason: "Illness"}), When: cancelBy(spec.Issuer, "Illness"),
			WantErr: domain.ErrConflict, WantMsg: "mobility m1 is already cancelled"},
		{Name: "no reason", Given: given, When: cancelBy(spec.Issuer, " "), WantErr: domain.ErrInvalid, WantMsg: "reason is required"},
		{Name: "reason of 501 characters", Given: given, When: cancelBy(spec.Issuer, strings.Repeat("r", 501)),
			WantErr: domain.ErrInvalid, WantMsg: "reason has 501 characters"},
	})
}
