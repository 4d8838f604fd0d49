package credentials

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
)

// PublishedStatusList is a status list credential as served: the compact
// VC-JWT, the list it encodes, and Tag, which changes exactly when the list's
// bits do (the token itself differs at every signing).
type PublishedStatusList struct {
	Token string
	List  statuslist.List
	Tag   string
}

// StatusList returns status list id as it stood at at (as it is now, from the
// credentialstatus read model, if at is zero; see StatusBit), as a credential
// valid from at (or now) and signed with its issuer's current signing key. It
// fails NotFound for an unknown list and with a Conflict if the issuer has no
// signing key left.
func (s *Service) StatusList(ctx context.Context, id string, at time.Time) (PublishedStatusList, error) {
	if err := domain.ValidID("status list id", id); err != nil {
		return PublishedStatusList{}, domain.NotFoundf("status list not found")
	}
	l, err := s.list(ctx, id)
	if err != nil {
		return PublishedStatusList{}, err
	}
	set, err := s.setBits(ctx, l, at)
	if err != nil {
		return PublishedStatusList{}, err
	}
	if at.IsZero() {
		at = s.cmds.Now().UTC()
	}
	c, err := BuildStatusList(StatusList{URL: s.urls.StatusList(l.ID), IssuerID: s.urls.Organisation(l.IssuerOID),
		Purpose: l.Purpose, Size: l.Size, Set: set, ValidFrom: at})
	if err != nil {
		return PublishedStatusList{}, err
	}
	key, err := s.signingKey(ctx, l.IssuerOID)
	if err != nil {
		return PublishedStatusList{}, err
	}
	if !key.Exists() {
		return PublishedStatusList{}, domain.Conflictf("organisation %s has no signing key to sign its status list with", l.IssuerOID)
	}
	signer, err := s.signer(ctx, key)
	if err != nil {
		return PublishedStatusList{}, err
	}
	token, err := signer.SignStatusList(c)
	if err != nil {
		return PublishedStatusList{}, err
	}
	return PublishedStatusList{Token: token, List: l, Tag: listTag(l, c.CredentialSubject.EncodedList)}, nil
}

// setBits returns the indexes of the bits of l set at at (now, if zero),
// ascending.
func (s *Service) setBits(ctx context.Context, l statuslist.List, at time.Time) ([]int, error) {
	if at.IsZero() {
		size, err := s.cmds.Log().Size(ctx)
		if err != nil {
			return nil, err
		}
		docs, err := s.statusDocs(ctx, size)
		if err != nil {
			return nil, err
		}
		return credentialstatus.Bits(ctx, docs, l.ID)
	}
	entries, err := s.alloc.Entries(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	var set []int
	for _, e := range entries {
		bit, err := s.bitAt(ctx, l, e.Index, e.CredentialID, at)
		if err != nil {
			return nil, err
		}
		if bit {
			set = append(set, e.Index)
		}
	}
	return set, nil
}

// listTag identifies the content of list l encoded as encodedList.
func listTag(l statuslist.List, encodedList string) string {
	sum := sha256.Sum256([]byte(l.ID + "\x00" + string(l.Purpose) + "\x00" + encodedList))
	return hex.EncodeToString(sum[:16])
}
