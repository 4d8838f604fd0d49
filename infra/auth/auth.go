// Package auth turns bearer tokens into domain actors. Tokens are JWTs signed
// with an asymmetric key: the ledger's own Ed25519 key (tokens minted by
// `ledger token`) or a key from an OpenID provider's JWKS.
package auth

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/erasmus-ledger/ledger/domain"
)

// Claims are the claims the ledger reads from an API token.
type Claims struct {
	jwt.RegisteredClaims
	Roles []domain.Role `json:"roles"`
	Org   string        `json:"org,omitempty"`
}

// acceptedAlgs are the only signature algorithms accepted: asymmetric ones.
var acceptedAlgs = []string{"EdDSA", "ES256", "RS256"}

// KeySource finds the public key for a token's kid; JWKS is one.
type KeySource interface {
	Key(ctx context.Context, kid string) (crypto.PublicKey, error)
}

// Verifier checks API tokens.
type Verifier struct {
	Issuer, Audience string
	ownKID           string
	ownKey           ed25519.PublicKey
	external         KeySource // nil when no OpenID provider is configured
	now              func() time.Time
	verified         verifiedTokens
}

// NewVerifier returns a verifier accepting tokens for issuer and audience signed
// by own (under ownKID) or by a key from external, which may be nil.
func NewVerifier(issuer, audience, ownKID string, own ed25519.PublicKey, external KeySource, now func() time.Time) *Verifier {
	return &Verifier{Issuer: issuer, Audience: audience, ownKID: ownKID, ownKey: own, external: external, now: now}
}

// Actor authenticates the Authorization header value. Every failure wraps
// domain.ErrUnauthenticated and says why. A token verified before is not
// verified again while its key stays published (see verified).
func (v *Verifier) Actor(ctx context.Context, authorization string) (domain.Actor, error) {
	raw, ok := strings.CutPrefix(authorization, "Bearer ")
	if authorization == "" {
		return domain.Actor{}, domain.Unauthenticatedf("missing bearer token: send Authorization: Bearer <token>")
	}
	raw = strings.TrimSpace(raw)
	if !ok || raw == "" {
		return domain.Actor{}, domain.Unauthenticatedf("the Authorization header must be of the form: Bearer <token>")
	}
	if a, ok := v.remembered(ctx, raw); ok {
		return a, nil
	}
	return v.verify(ctx, raw)
}

// verify checks raw in full and remembers it if it is valid.
func (v *Verifier) verify(ctx context.Context, raw string) (domain.Actor, error) {
	t := verified{}
	_, err := jwt.ParseWithClaims(raw, &t.claims, func(tok *jwt.Token) (any, error) {
		t.kid, _ = tok.Header["kid"].(string)
		key, err := v.keyFor(ctx, t.kid)
		t.key = key
		return key, err
	}, append(v.options(), jwt.WithValidMethods(acceptedAlgs))...)
	if err != nil {
		return domain.Actor{}, domain.Unauthenticatedf("bad token: %s", reason(err))
	}
	if t.actor, err = actorOf(t.claims); err != nil {
		return domain.Actor{}, err
	}
	v.verified.put(raw, t)
	return t.actor, nil
}

// options are the checks of the claims: issuer, audience, a required
// expiry, and the times with 30 seconds of leeway.
func (v *Verifier) options() []jwt.ParserOption {
	return []jwt.ParserOption{jwt.WithIssuer(v.Issuer), jwt.WithAudience(v.Audience),
		jwt.WithExpirationRequired(), jwt.WithLeeway(30 * time.Second), jwt.WithTimeFunc(v.now)}
}

// keyFor returns the public key called kid.
func (v *Verifier) keyFor(ctx context.Context, kid string) (crypto.PublicKey, error) {
	if kid == v.ownKID && v.ownKey != nil {
		return v.ownKey, nil
	}
	if v.external == nil {
		return nil, fmt.Errorf("unknown key %q", kid)
	}
	return v.external.Key(ctx, kid)
}

// reason is a short, safe explanation of a token rejection.
func reason(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "token has expired"
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "token is malformed"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "signature is invalid or uses an algorithm that is not accepted (EdDSA, ES256, RS256)"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return "signing key is unknown"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "a required claim (exp, iss or aud) is missing"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "issuer (iss) is not accepted"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "audience (aud) is not accepted"
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "token is not valid yet"
	}
	return "token is not valid"
}

// actorOf checks the ledger-specific claims and returns the actor they name.
func actorOf(c Claims) (domain.Actor, error) {
	if c.Subject == "" {
		return domain.Actor{}, domain.Unauthenticatedf("bad token: sub is missing")
	}
	if len(c.Roles) == 0 {
		return domain.Actor{}, domain.Unauthenticatedf("bad token: roles is missing")
	}
	for _, r := range c.Roles {
		if !slices.Contains([]domain.Role{domain.RoleAdmin, domain.RoleIssuer, domain.RoleStaff, domain.RoleAuditor}, r) {
			return domain.Actor{}, domain.Unauthenticatedf("bad token: unknown role %q", r)
		}
	}
	a := domain.Actor{Subject: c.Subject, Roles: c.Roles, Org: c.Org}
	if a.Has(domain.RoleIssuer) {
		if err := domain.ValidOID("org", c.Org); err != nil {
			return domain.Actor{}, domain.Unauthenticatedf("bad token: an issuer token needs org, an Erasmus+ OID")
		}
	}
	return a, nil
}
