package credential

import (
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// RegisterKey is the command to register an organisation's new signing key.
// The caller generates the key pair and keeps the private half; ID is the new
// key's identifier, OID its organisation, which the caller has checked exists.
type RegisterKey struct {
	ID        string
	OID       string
	PublicJWK JWK
}

// maxReason is the longest reason for a revocation or suspension, in runes.
const maxReason = 500

// Register decides on registering the key whose stream k was folded from.
// Only admins register keys; a key ID is registered once.
func (k Key) Register(by domain.Actor, cmd RegisterKey, at time.Time) ([]domain.Event, error) {
	if !by.Has(domain.RoleAdmin) {
		return nil, domain.Forbiddenf("only an admin may create a signing key")
	}
	if k.Exists() {
		return nil, domain.Conflictf("signing key %s is already registered", k.ID)
	}
	if err := domain.ValidID("key_id", cmd.ID); err != nil {
		return nil, err
	}
	if err := domain.ValidOID("oid", cmd.OID); err != nil {
		return nil, err
	}
	if _, err := cmd.PublicJWK.Uncompressed(); err != nil {
		return nil, err
	}
	return []domain.Event{KeyRegistered{KeyID: cmd.ID, OID: cmd.OID, PublicJWK: cmd.PublicJWK, RegisteredAt: at.UTC()}}, nil
}

// Revoke decides on revoking the key: an admin or an issuer of the key's
// organisation may, once. Credentials the key signed before at keep verifying.
func (k Key) Revoke(by domain.Actor, reason string, at time.Time) ([]domain.Event, error) {
	if !k.Exists() {
		return nil, domain.NotFoundf("signing key not found")
	}
	if !by.ActsFor(k.OID) {
		return nil, domain.Forbiddenf("only an admin or an issuer of %s may revoke its signing keys", k.OID)
	}
	if k.Revoked {
		return nil, domain.Conflictf("signing key %s is already revoked", k.ID)
	}
	reason = strings.TrimSpace(reason)
	if err := domain.ValidProse("reason", reason, maxReason, true); err != nil {
		return nil, err
	}
	return []domain.Event{KeyRevoked{KeyID: k.ID, OID: k.OID, RevokedAt: at.UTC(), Reason: reason}}, nil
}
