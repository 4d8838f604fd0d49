package credentials

import (
	"context"
	"slices"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/commands"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// CreateKey creates a new signing key for organisation oid, which becomes
// its signing key (rotation): it generates a P-256 key pair, seals the private
// half in the key store and records the public half's registration.
func (s *Service) CreateKey(ctx context.Context, by domain.Actor, oid string, meta store.Metadata) (credential.Key, error) {
	if err := domain.ValidOID("oid", oid); err != nil {
		return credential.Key{}, err
	}
	priv, err := GenerateKey()
	if err != nil {
		return credential.Key{}, err
	}
	jwk, err := PublicJWK(&priv.PublicKey)
	if err != nil {
		return credential.Key{}, err
	}
	cmd := credential.RegisterKey{ID: commands.NewID("key"), OID: oid, PublicJWK: jwk}
	// Decide once before storing anything, so that a refused request leaves
	// no private key behind.
	if _, err := (credential.Key{}).Register(by, cmd, s.cmds.Now()); err != nil {
		return credential.Key{}, err
	}
	o, err := s.organisation(ctx, oid)
	if err != nil {
		return credential.Key{}, err
	}
	if !o.Exists() {
		return credential.Key{}, domain.NotFoundf("organisation %s is not registered", oid)
	}
	if err := s.keys.Put(ctx, cmd.ID, oid, priv); err != nil {
		return credential.Key{}, err
	}
	return s.executeKey(ctx, cmd.ID, nil, meta, func(k credential.Key, at time.Time) ([]domain.Event, error) {
		return k.Register(by, cmd, at)
	})
}

// RevokeKey records the revocation of signing key id: credentials it signs
// from now on fail verification, those it signed before keep verifying.
func (s *Service) RevokeKey(ctx context.Context, by domain.Actor, id, reason string, ifMatch *uint64, meta store.Metadata) (credential.Key, error) {
	if err := domain.ValidID("key id", id); err != nil {
		return credential.Key{}, err
	}
	return s.executeKey(ctx, id, ifMatch, meta, func(k credential.Key, at time.Time) ([]domain.Event, error) {
		return k.Revoke(by, reason, at)
	})
}

func (s *Service) executeKey(ctx context.Context, id string, ifMatch *uint64, meta store.Metadata, decide func(credential.Key, time.Time) ([]domain.Event, error)) (credential.Key, error) {
	var k credential.Key
	res, err := s.cmds.Execute(ctx, credential.KeyStream(id), ifMatch, meta, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		k = credential.FoldKey(past...)
		return decide(k, at)
	})
	if err != nil {
		return credential.Key{}, err
	}
	for _, e := range res.Events {
		k.Apply(e)
	}
	k.Version = res.Version
	return k, nil
}

// PublishedKey returns signing key id as published at its kid, or fails
// NotFound if no such key was registered.
func (s *Service) PublishedKey(ctx context.Context, id string) (JWK, error) {
	if err := domain.ValidID("key id", id); err != nil {
		return JWK{}, domain.NotFoundf("signing key not found")
	}
	k, err := s.key(ctx, id)
	if err != nil {
		return JWK{}, err
	}
	if !k.Exists() {
		return JWK{}, domain.NotFoundf("signing key %s not found", id)
	}
	return Publish(s.urls.Key(k.ID), k.PublicJWK), nil
}

// KeySet returns every signing key ever registered, revoked ones included
// (credentials they signed before their revocation stay valid), in the order
// of their registration.
func (s *Service) KeySet(ctx context.Context) (JWKSet, error) {
	keys, err := s.keysOf(ctx, "")
	if err != nil {
		return JWKSet{}, err
	}
	slices.SortStableFunc(keys, func(a, b credential.Key) int { return a.RegisteredAt.Compare(b.RegisteredAt) })
	set := JWKSet{Keys: make([]JWK, len(keys))}
	for i, k := range keys {
		set.Keys[i] = Publish(s.urls.Key(k.ID), k.PublicJWK)
	}
	return set, nil
}

// signingKey returns the key organisation oid signs with now (see
// credential.SigningKey), or the zero Key if it has none.
func (s *Service) signingKey(ctx context.Context, oid string) (credential.Key, error) {
	keys, err := s.keysOf(ctx, oid)
	if err != nil {
		return credential.Key{}, err
	}
	k, _ := credential.SigningKey(oid, keys...)
	return k, nil
}

// signer returns a signer with key k's private half.
func (s *Service) signer(ctx context.Context, k credential.Key) (Signer, error) {
	priv, _, err := s.keys.Get(ctx, k.ID)
	if err != nil {
		return Signer{}, err
	}
	return Signer{Kid: s.urls.Key(k.ID), Key: priv}, nil
}
