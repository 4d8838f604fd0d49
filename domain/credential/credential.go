// Package credential holds the aggregates behind the ledger's verifiable
// credentials: the credential issued for a completed mobility, whose status
// (active, suspended, revoked) is folded from its stream, and the issuer
// signing key an organisation signs credentials with.
//
// A credential's stream is Stream(id); a signing key's is KeyStream(id). The
// signed token itself never enters the log, since it holds the holder's name:
// the log keeps its SHA-256 so that a presented token can be matched byte for
// byte.
package credential

import (
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// The stream name prefixes; stored in the log, they never change.
const (
	streamPrefix    = "credential-"
	keyStreamPrefix = "signingkey-"
)

// Stream is the stream of the credential with ID id.
func Stream(id string) string { return streamPrefix + id }

// KeyStream is the stream of the signing key with ID id.
func KeyStream(id string) string { return keyStreamPrefix + id }

// Status is where a credential stands.
type Status string

// The statuses. Revoked is final; Suspended lasts until a reinstatement;
// Expired applies once ValidUntil has passed, to a credential otherwise active.
const (
	StatusActive    Status = "active"
	StatusSuspended Status = "suspended"
	StatusRevoked   Status = "revoked"
	StatusExpired   Status = "expired"
)

// Credential is the state of one credential, folded from its stream. Version is
// the number of events folded, the expected version of the next append.
type Credential struct {
	ID            string
	MobilityID    string
	ParticipantID string
	IssuerOID     string
	KeyID         string
	ValidFrom     time.Time
	ValidUntil    *time.Time
	TokenSHA256   string
	Revocation    StatusEntry
	Suspension    StatusEntry
	Revoked       bool
	Suspended     bool
	// Reason is the reason given with the last revocation, suspension or
	// reinstatement.
	Reason  string
	Version uint64
}

// StatusEntry is a credential's bit in a status list: the list's ID and the
// bit's index in it.
type StatusEntry struct {
	List  string
	Index int
}

// Exists reports whether the credential has been issued.
func (c Credential) Exists() bool { return c.ID != "" }

// Status is the credential's status, ignoring expiry; "" if it does not exist.
func (c Credential) Status() Status {
	switch {
	case !c.Exists():
		return ""
	case c.Revoked:
		return StatusRevoked
	case c.Suspended:
		return StatusSuspended
	}
	return StatusActive
}

// StatusAt is Status with expiry: an active credential whose ValidUntil is at
// or before t is expired.
func (c Credential) StatusAt(t time.Time) Status {
	s := c.Status()
	if s == StatusActive && c.ValidUntil != nil && !t.Before(*c.ValidUntil) {
		return StatusExpired
	}
	return s
}

// Apply folds one event of the credential's stream into c. It ignores event
// types it does not know.
func (c *Credential) Apply(e domain.Event) {
	c.Version++
	switch e := e.(type) {
	case Issued:
		c.ID, c.MobilityID, c.ParticipantID, c.IssuerOID, c.KeyID = e.CredentialID, e.MobilityID, e.ParticipantID, e.IssuerOID, e.KeyID
		c.ValidFrom, c.ValidUntil, c.TokenSHA256 = e.ValidFrom, e.ValidUntil, e.TokenSHA256
		c.Revocation = StatusEntry{List: e.RevocationList, Index: e.RevocationIndex}
		c.Suspension = StatusEntry{List: e.SuspensionList, Index: e.SuspensionIndex}
	case Revoked:
		c.Revoked, c.Reason = true, e.Reason
	case Suspended:
		c.Suspended, c.Reason = true, e.Reason
	case Reinstated:
		c.Suspended, c.Reason = false, e.Reason
	}
}

// Fold is the state after events, in stream order.
func Fold(events ...domain.Event) Credential {
	var c Credential
	for _, e := range events {
		c.Apply(e)
	}
	return c
}
