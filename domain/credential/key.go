package credential

import (
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Key is the state of one issuer signing key, folded from its stream. Version
// is the number of events folded.
type Key struct {
	ID           string
	OID          string
	PublicJWK    JWK
	RegisteredAt time.Time
	Revoked      bool
	RevokedAt    time.Time
	RevokeReason string
	Version      uint64
}

// Exists reports whether the key has been registered.
func (k Key) Exists() bool { return k.ID != "" }

// Apply folds one event of the key's stream into k. It ignores event types it
// does not know.
func (k *Key) Apply(e domain.Event) {
	k.Version++
	switch e := e.(type) {
	case KeyRegistered:
		k.ID, k.OID, k.PublicJWK, k.RegisteredAt = e.KeyID, e.OID, e.PublicJWK, e.RegisteredAt
	case KeyRevoked:
		k.Revoked, k.RevokedAt, k.RevokeReason = true, e.RevokedAt, e.Reason
	}
}

// FoldKey is the key's state after events, in stream order.
func FoldKey(events ...domain.Event) Key {
	var k Key
	for _, e := range events {
		k.Apply(e)
	}
	return k
}

// ValidAt reports whether a credential issued at t may bear the key's
// signature: t is not before the key's registration and, if the key was
// revoked, before its revocation. Credentials carry their issuance time in
// whole seconds, so registration counts from the start of its second.
func (k Key) ValidAt(t time.Time) bool {
	if !k.Exists() || t.Before(k.RegisteredAt.Truncate(time.Second)) {
		return false
	}
	return !k.Revoked || t.Before(k.RevokedAt)
}

// SigningKey picks the key organisation oid signs new credentials with: of its
// keys that are not revoked, the one registered last (the later in keys on a
// tie). This is rotation: registering a key makes it the signing key, while
// the earlier ones stay valid for the credentials they signed.
func SigningKey(oid string, keys ...Key) (Key, bool) {
	var best Key
	for _, k := range keys {
		if k.OID != oid || !k.Exists() || k.Revoked {
			continue
		}
		if !best.Exists() || !k.RegisteredAt.Before(best.RegisteredAt) {
			best = k
		}
	}
	return best, best.Exists()
}
