// Package credentialstatus is the read model behind credential verification:
// per credential its status, issuer, mobility, participant, times and the log
// index of its issuing event; and per Bitstring Status List the bits that are
// set, which is what the published list encodes.
package credentialstatus

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/projections"
)

// Name is the read model's stored name.
const Name = "credentialstatus"

// The document key prefixes, stored and never changed.
const (
	credentialPrefix = "c/"
	listPrefix       = "l/"
)

// CredentialKey is the key of credential id's document.
func CredentialKey(id string) string { return credentialPrefix + id }

// ListKey is the key of status list id's document.
func ListKey(id string) string { return listPrefix + id }

// Credential is a credential's status document. Status ignores expiry, which
// depends on when it is read (see At). IssuedIndex is the log index of the
// credential.issued event, whose inclusion verifiers prove.
type Credential struct {
	ID              string            `json:"id"`
	Status          credential.Status `json:"status"`
	IssuerOID       string            `json:"issuer_oid"`
	MobilityID      string            `json:"mobility_id"`
	ParticipantID   string            `json:"participant_id"`
	KeyID           string            `json:"key_id"`
	TokenSHA256     string            `json:"token_sha256"`
	ValidFrom       time.Time         `json:"valid_from"`
	ValidUntil      *time.Time        `json:"valid_until,omitempty"`
	IssuedAt        time.Time         `json:"issued_at"`
	IssuedIndex     uint64            `json:"issued_index"`
	RevokedAt       *time.Time        `json:"revoked_at,omitempty"`
	SuspendedAt     *time.Time        `json:"suspended_at,omitempty"`
	Reason          string            `json:"reason,omitempty"`
	RevocationList  string            `json:"revocation_list"`
	RevocationIndex int               `json:"revocation_index"`
	SuspensionList  string            `json:"suspension_list"`
	SuspensionIndex int               `json:"suspension_index"`
}

// At is the credential's status at t: an active credential whose ValidUntil
// is at or before t is expired.
func (c Credential) At(t time.Time) credential.Status {
	if c.Status == credential.StatusActive && c.ValidUntil != nil && !t.Before(*c.ValidUntil) {
		return credential.StatusExpired
	}
	return c.Status
}

// List is a status list's document: the indexes of its set bits, ascending.
// A revocation list's bit is set once its credential is revoked; a suspension
// list's while its credential is suspended.
type List struct {
	ID  string `json:"id"`
	Set []int  `json:"set"`
}

// Projection folds credential events into status documents.
type Projection struct{}

var _ projections.Projection = Projection{}

// Name implements projections.Projection.
func (Projection) Name() string { return Name }

// Types implements projections.Projection.
func (Projection) Types() []string {
	return []string{credential.Issued{}.EventType(), credential.Revoked{}.EventType(),
		credential.Suspended{}.EventType(), credential.Reinstated{}.EventType()}
}

// New implements projections.Projection.
func (Projection) New(key string) (any, error) {
	switch {
	case strings.HasPrefix(key, credentialPrefix):
		return new(Credential), nil
	case strings.HasPrefix(key, listPrefix):
		return new(List), nil
	}
	return nil, fmt.Errorf("credentialstatus: no document kind for key %q", key)
}

// Apply implements projections.Projection.
func (Projection) Apply(ctx context.Context, docs projections.Docs, e projections.Event) error {
	at := e.RecordedAt.UTC()
	switch ev := e.Data.(type) {
	case credential.Issued:
		docs.Put(CredentialKey(ev.CredentialID), &Credential{ID: ev.CredentialID, Status: credential.StatusActive,
			IssuerOID: ev.IssuerOID, MobilityID: ev.MobilityID, ParticipantID: ev.ParticipantID, KeyID: ev.KeyID,
			TokenSHA256: ev.TokenSHA256, ValidFrom: ev.ValidFrom.UTC(), ValidUntil: ev.ValidUntil,
			IssuedAt: at, IssuedIndex: e.Index,
			RevocationList: ev.RevocationList, RevocationIndex: ev.RevocationIndex,
			SuspensionList: ev.SuspensionList, SuspensionIndex: ev.SuspensionIndex})
	case credential.Revoked:
		return change(ctx, docs, ev.CredentialID, func(c *Credential) (string, int, bool) {
			c.Status, c.RevokedAt, c.Reason = credential.StatusRevoked, &at, ev.Reason
			return c.RevocationList, c.RevocationIndex, true
		})
	case credential.Suspended:
		return change(ctx, docs, ev.CredentialID, func(c *Credential) (string, int, bool) {
			c.Status, c.SuspendedAt, c.Reason = credential.StatusSuspended, &at, ev.Reason
			return c.SuspensionList, c.SuspensionIndex, true
		})
	case credential.Reinstated:
		return change(ctx, docs, ev.CredentialID, func(c *Credential) (string, int, bool) {
			c.Status, c.SuspendedAt, c.Reason = credential.StatusActive, nil, ev.Reason
			return c.SuspensionList, c.SuspensionIndex, false
		})
	}
	return nil
}

// change applies f to credential id's document, then sets or clears the
// status list bit f names.
func change(ctx context.Context, docs projections.Docs, id string, f func(*Credential) (list string, index int, set bool)) error {
	c, err := projections.Get[Credential](ctx, docs, CredentialKey(id))
	if err != nil || c == nil {
		return err
	}
	list, index, set := f(c)
	docs.Put(CredentialKey(id), c)
	return setBit(ctx, docs, list, index, set)
}

// setBit sets or clears bit index of status list id.
func setBit(ctx context.Context, docs projections.Docs, id string, index int, set bool) error {
	l, err := projections.Get[List](ctx, docs, ListKey(id))
	if err != nil {
		return err
	}
	if l == nil {
		l = &List{ID: id, Set: []int{}}
	}
	i, found := slices.BinarySearch(l.Set, index)
	switch {
	case set && !found:
		l.Set = slices.Insert(l.Set, i, index)
	case !set && found:
		l.Set = slices.Delete(l.Set, i, i+1)
	}
	docs.Put(ListKey(id), l)
	return nil
}

// Lookup returns credential id's status document from docs, or nil.
func Lookup(ctx context.Context, docs projections.Docs, id string) (*Credential, error) {
	return projections.Get[Credential](ctx, docs, CredentialKey(id))
}

// Bits returns the set bits of status list id from docs; none if the list
// has no set bit.
func Bits(ctx context.Context, docs projections.Docs, id string) ([]int, error) {
	l, err := projections.Get[List](ctx, docs, ListKey(id))
	if err != nil || l == nil {
		return nil, err
	}
	return l.Set, nil
}
