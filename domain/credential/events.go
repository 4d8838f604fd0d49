package credential

import (
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Issued records that the issuer signed a credential attesting a completed
// mobility. TokenSHA256 is the lower-case hex SHA-256 of the compact VC-JWT
// exactly as it was handed out; the token itself is not stored, since it holds
// the holder's name. The two status entries are the credential's bits in its
// issuer's revocation and suspension lists. ValidFrom is in whole seconds, as
// the token's nbf claim; ValidUntil is nil for a credential that does not expire.
type Issued struct {
	CredentialID    string     `json:"credential_id"`
	MobilityID      string     `json:"mobility_id"`
	ParticipantID   string     `json:"participant_id"`
	IssuerOID       string     `json:"issuer_oid"`
	KeyID           string     `json:"key_id"`
	ValidFrom       time.Time  `json:"valid_from"`
	ValidUntil      *time.Time `json:"valid_until,omitempty"`
	TokenSHA256     string     `json:"token_sha256"`
	RevocationList  string     `json:"revocation_list"`
	RevocationIndex int        `json:"revocation_index"`
	SuspensionList  string     `json:"suspension_list"`
	SuspensionIndex int        `json:"suspension_index"`
}

// Revoked records that the issuer withdrew the credential for good.
type Revoked struct {
	CredentialID string `json:"credential_id"`
	Reason       string `json:"reason"`
}

// Suspended records that the issuer put the credential on hold.
type Suspended struct {
	CredentialID string `json:"credential_id"`
	Reason       string `json:"reason"`
}

// Reinstated records that the issuer lifted the credential's suspension.
type Reinstated struct {
	CredentialID string `json:"credential_id"`
	Reason       string `json:"reason"`
}

// KeyRegistered records an organisation's new credential-signing key. Only the
// public key is in the log; the private key stays in the ledger's key store.
type KeyRegistered struct {
	KeyID        string    `json:"key_id"`
	OID          string    `json:"oid"`
	PublicJWK    JWK       `json:"public_jwk"`
	RegisteredAt time.Time `json:"registered_at"`
}

// KeyRevoked records that a signing key must no longer be trusted for
// credentials signed from RevokedAt on.
type KeyRevoked struct {
	KeyID     string    `json:"key_id"`
	OID       string    `json:"oid"`
	RevokedAt time.Time `json:"revoked_at"`
	Reason    string    `json:"reason"`
}

// EventType is the stored name of Issued.
func (Issued) EventType() string { return "credential.issued" }

// EventType is the stored name of Revoked.
func (Revoked) EventType() string { return "credential.revoked" }

// EventType is the stored name of Suspended.
func (Suspended) EventType() string { return "credential.suspended" }

// EventType is the stored name of Reinstated.
func (Reinstated) EventType() string { return "credential.reinstated" }

// EventType is the stored name of KeyRegistered.
func (KeyRegistered) EventType() string { return "signingkey.registered" }

// EventType is the stored name of KeyRevoked.
func (KeyRevoked) EventType() string { return "signingkey.revoked" }

// EventTypes returns a zero value of every event type of the package, for
// decoders. Apply expects events as these values, not as pointers to them.
func EventTypes() []domain.Event {
	return []domain.Event{Issued{}, Revoked{}, Suspended{}, Reinstated{}, KeyRegistered{}, KeyRevoked{}}
}
