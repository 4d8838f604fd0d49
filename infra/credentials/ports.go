package credentials

import (
	"context"
	"strconv"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// ResolveKey implements KeyResolver: kid must be the URL of a signing key
// registered in the log. The key and its issuer are cached until their
// streams change.
func (s *Service) ResolveKey(ctx context.Context, kid string) (IssuerKey, error) {
	id, ok := s.urls.KeyID(kid)
	if !ok {
		return IssuerKey{}, domain.NotFoundf("the key is not one of the ledger's")
	}
	k, err := s.issuerKey(ctx, id)
	if err == nil && !k.Key.Exists() {
		return IssuerKey{}, domain.NotFoundf("signing key %s is not registered", id)
	}
	return k, err
}

// issuerKey returns signing key id (which does not exist if it was never
// registered) and its organisation, cached until their streams change.
func (s *Service) issuerKey(ctx context.Context, id string) (IssuerKey, error) {
	return cached(ctx, s.derived, "key/"+id, func(ctx context.Context, _ uint64) (IssuerKey, []string, error) {
		k, err := s.key(ctx, id)
		streams := []string{credential.KeyStream(id)}
		if err != nil || !k.Exists() {
			return IssuerKey{Key: k}, streams, err
		}
		iss, err := s.issuer(ctx, k.OID)
		ik := IssuerKey{Key: k, Issuer: iss}
		ik.public, _ = PublicKey(k.PublicJWK) // if it fails, checkSignature parses again and says so
		return ik, append(streams, domain.OrganisationStream(k.OID)), err
	})
}

// StatusBit implements StatusChecker from the log: the bit is set if the
// credential it was allocated to had been revoked (for a revocation list), or
// was suspended (for a suspension list), by the events recorded at or before
// at. A bit allocated to no issued credential is unset. The bit as it is now
// (a zero at) is read from the credentialstatus read model; one in the past,
// which the read model does not keep, by folding the credential's stream.
func (s *Service) StatusBit(ctx context.Context, listURL string, index int, purpose statuslist.Purpose, at time.Time) (bool, error) {
	id, ok := s.urls.StatusListID(listURL)
	if !ok {
		return false, domain.NotFoundf("the status list is not one of the ledger's")
	}
	l, err := s.list(ctx, id)
	if err != nil {
		return false, err
	}
	switch {
	case l.Purpose != purpose:
		return false, domain.Invalidf("the entry names a %s list for its %s status", l.Purpose, purpose)
	case index < 0 || index >= l.Size:
		return false, domain.Invalidf("index %d is outside the list of %d entries", index, l.Size)
	}
	holder, ok, err := s.holder(ctx, l.ID, index)
	if err != nil || !ok {
		return false, err
	}
	if at.IsZero() {
		return s.currentBit(ctx, l, index, holder)
	}
	return s.bitAt(ctx, l, index, holder, at)
}

// list returns status list id, which never changes once opened.
func (s *Service) list(ctx context.Context, id string) (statuslist.List, error) {
	key := "list/" + id
	if l, ok := s.derived.get(key); ok {
		return l.(statuslist.List), nil
	}
	l, err := s.alloc.List(ctx, id)
	if err == nil {
		s.derived.keep(key, l)
	}
	return l, err
}

// holder returns the credential that bit index of list was allocated to, and
// false if none was. An allocation is never undone.
func (s *Service) holder(ctx context.Context, list string, index int) (string, bool, error) {
	key := "holder/" + list + "/" + strconv.Itoa(index)
	if id, ok := s.derived.get(key); ok {
		return id.(string), true, nil
	}
	id, ok, err := s.alloc.Holder(ctx, list, index)
	if err == nil && ok {
		s.derived.keep(key, id)
	}
	return id, ok, err
}

// currentBit is bit index of list l, allocated to credential credentialID,
// as the credential's status document now sets it: a revocation bit once
// revoked, a suspension bit while suspended (a revocation ends no
// suspension).
func (s *Service) currentBit(ctx context.Context, l statuslist.List, index int, credentialID string) (bool, error) {
	c, err := s.status(ctx, credentialID)
	if err != nil || c == nil {
		return false, err
	}
	if l.Purpose == statuslist.Revocation {
		return c.RevocationList == l.ID && c.RevocationIndex == index && c.RevokedAt != nil, nil
	}
	return c.SuspensionList == l.ID && c.SuspensionIndex == index && c.SuspendedAt != nil, nil
}

// bitAt is bit index of list l, allocated to credential credentialID, as the
// events recorded at or before at set it.
func (s *Service) bitAt(ctx context.Context, l statuslist.List, index int, credentialID string, at time.Time) (bool, error) {
	recs, events, err := s.stream(ctx, credential.Stream(credentialID))
	if err != nil {
		return false, err
	}
	c := credential.Fold(until(recs, events, at)...)
	if !c.Exists() {
		return false, nil
	}
	if l.Purpose == statuslist.Revocation {
		return c.Revocation == credential.StatusEntry{List: l.ID, Index: index} && c.Revoked, nil
	}
	return c.Suspension == credential.StatusEntry{List: l.ID, Index: index} && c.Suspended, nil
}

// until returns the events whose records the log recorded at or before at.
// Recording times never decrease along the log, so they are a prefix.
func until(recs []store.Record, events []domain.Event, at time.Time) []domain.Event {
	n := 0
	for n < len(recs) && !recs[n].RecordedAt.After(at) {
		n++
	}
	return events[:n]
}

// Recorded implements LedgerChecker from the credentialstatus read model:
// what the credential's issuance recorded.
func (s *Service) Recorded(ctx context.Context, credentialURL string) (Recorded, error) {
	id, ok := s.urls.CredentialID(credentialURL)
	if !ok {
		return Recorded{}, domain.NotFoundf("the credential is not one of the ledger's")
	}
	c, err := s.status(ctx, id)
	if err != nil {
		return Recorded{}, err
	}
	if c == nil {
		return Recorded{}, domain.NotFoundf("credential %s was never issued", id)
	}
	return Recorded{TokenSHA256: c.TokenSHA256, LogIndex: c.IssuedIndex, RecordedAt: c.IssuedAt}, nil
}
