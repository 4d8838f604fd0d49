package credentials

import (
	"context"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// ResolveKey implements KeyResolver: kid must be the URL of a signing key
// registered in the log.
func (s *Service) ResolveKey(ctx context.Context, kid string) (IssuerKey, error) {
	id, ok := s.urls.KeyID(kid)
	if !ok {
		return IssuerKey{}, domain.NotFoundf("the key is not one of the ledger's")
	}
	k, err := s.key(ctx, id)
	if err != nil {
		return IssuerKey{}, err
	}
	if !k.Exists() {
		return IssuerKey{}, domain.NotFoundf("signing key %s is not registered", id)
	}
	iss, err := s.issuer(ctx, k.OID)
	if err != nil {
		return IssuerKey{}, err
	}
	return IssuerKey{Key: k, Issuer: iss}, nil
}

// StatusBit implements StatusChecker from the log: the bit is set if the
// credential it was allocated to had been revoked (for a revocation list), or
// was suspended (for a suspension list), by the events recorded at or before
// at. A bit allocated to no issued credential is unset.
func (s *Service) StatusBit(ctx context.Context, listURL string, index int, purpose statuslist.Purpose, at time.Time) (bool, error) {
	id, ok := s.urls.StatusListID(listURL)
	if !ok {
		return false, domain.NotFoundf("the status list is not one of the ledger's")
	}
	l, err := s.alloc.List(ctx, id)
	if err != nil {
		return false, err
	}
	switch {
	case l.Purpose != purpose:
		return false, domain.Invalidf("the entry names a %s list for its %s status", l.Purpose, purpose)
	case index < 0 || index >= l.Size:
		return false, domain.Invalidf("index %d is outside the list of %d entries", index, l.Size)
	}
	holder, ok, err := s.alloc.Holder(ctx, l.ID, index)
	if err != nil || !ok {
		return false, err
	}
	return s.bitAt(ctx, l, index, holder, at)
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

// Recorded implements LedgerChecker: what the first event of the credential's
// stream, its issuance, recorded.
func (s *Service) Recorded(ctx context.Context, credentialURL string) (Recorded, error) {
	id, ok := s.urls.CredentialID(credentialURL)
	if !ok {
		return Recorded{}, domain.NotFoundf("the credential is not one of the ledger's")
	}
	recs, events, err := s.stream(ctx, credential.Stream(id))
	if err != nil {
		return Recorded{}, err
	}
	if len(events) == 0 {
		return Recorded{}, domain.NotFoundf("credential %s was never issued", id)
	}
	issued, ok := events[0].(credential.Issued)
	if !ok {
		return Recorded{}, domain.NotFoundf("credential %s begins with %s, not its issuance", id, recs[0].Type)
	}
	return Recorded{TokenSHA256: issued.TokenSHA256, LogIndex: recs[0].Index, RecordedAt: recs[0].RecordedAt}, nil
}
