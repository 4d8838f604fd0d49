package credential

import (
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Revoke decides on withdrawing the credential for good, with a reason.
func (c Credential) Revoke(by domain.Actor, reason string, at time.Time) ([]domain.Event, error) {
	reason, err := c.mayChange(by, reason, true)
	if err != nil {
		return nil, err
	}
	if c.Revoked {
		return nil, domain.Conflictf("credential %s is already revoked", c.ID)
	}
	return []domain.Event{Revoked{CredentialID: c.ID, Reason: reason}}, nil
}

// Suspend decides on putting an active credential on hold, with a reason.
func (c Credential) Suspend(by domain.Actor, reason string, at time.Time) ([]domain.Event, error) {
	reason, err := c.mayChange(by, reason, true)
	if err != nil {
		return nil, err
	}
	if s := c.Status(); s != StatusActive {
		return nil, domain.Conflictf("credential %s is %s; only an active credential can be suspended", c.ID, s)
	}
	return []domain.Event{Suspended{CredentialID: c.ID, Reason: reason}}, nil
}

// Reinstate decides on lifting the credential's suspension; the reason is
// optional.
func (c Credential) Reinstate(by domain.Actor, reason string, at time.Time) ([]domain.Event, error) {
	reason, err := c.mayChange(by, reason, false)
	if err != nil {
		return nil, err
	}
	if s := c.Status(); s != StatusSuspended {
		return nil, domain.Conflictf("credential %s is %s; only a suspended credential can be reinstated", c.ID, s)
	}
	return []domain.Event{Reinstated{CredentialID: c.ID, Reason: reason}}, nil
}

// mayChange checks that the credential exists, that by acts for its issuer and
// that reason is acceptable, and returns the reason trimmed.
func (c Credential) mayChange(by domain.Actor, reason string, required bool) (string, error) {
	if !c.Exists() {
		return "", domain.NotFoundf("credential not found")
	}
	if !by.ActsFor(c.IssuerOID) {
		return "", domain.Forbiddenf("only an issuer of %s may change the status of its credentials", c.IssuerOID)
	}
	reason = strings.TrimSpace(reason)
	return reason, domain.ValidProse("reason", reason, maxReason, required)
}
