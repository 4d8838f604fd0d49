package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/erasmus-ledger/ledger/domain"
)

// SecretName is the vault name of the ledger's own token signing key.
const SecretName = "api-token-signing-key"

// Vault is where the ledger's own key is kept; secrets.Vault is one.
type Vault interface {
	LoadOrCreate(ctx context.Context, name string, create func() ([]byte, error)) ([]byte, error)
}

// Minter signs API tokens with the ledger's own Ed25519 key.
type Minter struct {
	Issuer, Audience string
	KID              string
	key              ed25519.PrivateKey
}

// LoadMinter loads the ledger's own key from vault, creating it on first start.
func LoadMinter(ctx context.Context, v Vault, issuer, audience string) (*Minter, error) {
	seed, err := v.LoadOrCreate(ctx, SecretName, func() ([]byte, error) {
		s := make([]byte, ed25519.SeedSize)
		_, err := rand.Read(s)
		return s, err
	})
	if err != nil {
		return nil, err
	}
	key := ed25519.NewKeyFromSeed(seed)
	sum := sha256.Sum256(key.Public().(ed25519.PublicKey))
	return &Minter{Issuer: issuer, Audience: audience, KID: "ledger-" + base64.RawURLEncoding.EncodeToString(sum[:12]), key: key}, nil
}

// Public is the key that verifies minted tokens.
func (m *Minter) Public() ed25519.PublicKey { return m.key.Public().(ed25519.PublicKey) }

// Mint returns a token for sub with roles, acting for org (issuers), valid for ttl from now.
func (m *Minter) Mint(sub string, roles []domain.Role, org string, ttl time.Duration, now time.Time) (string, error) {
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: m.Issuer, Subject: sub, Audience: jwt.ClaimStrings{m.Audience},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
		Roles: roles, Org: org,
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	t.Header["kid"] = m.KID
	return t.SignedString(m.key)
}
