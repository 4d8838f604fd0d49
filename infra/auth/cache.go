package auth

import (
	"context"
	"crypto"
	"sync"

	"github.com/golang-jwt/jwt/v5"

	"github.com/erasmus-ledger/ledger/domain"
)

// maxVerified bounds the tokens a Verifier remembers; when it is full it
// forgets them all and starts again.
const maxVerified = 1 << 12

// verified is a token whose signature checked out: the key that verified it
// and what it claims. A signature is a function of the token's exact bytes
// and the key, so it need not be verified again for the same bytes and key;
// the claims that depend on the time (exp, nbf, iat) and the accepted
// issuer and audience are checked again on every use.
type verified struct {
	kid    string
	key    crypto.PublicKey
	claims Claims
	actor  domain.Actor
}

// verifiedTokens remembers verified tokens by their compact form. It is safe
// for concurrent use.
type verifiedTokens struct {
	mu sync.RWMutex
	m  map[string]verified
}

func (c *verifiedTokens) get(raw string) (verified, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t, ok := c.m[raw]
	return t, ok
}

func (c *verifiedTokens) put(raw string, t verified) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxVerified {
		c.m = make(map[string]verified)
	}
	c.m[raw] = t
}

// remembered returns the actor of raw if raw was verified before, the key
// its kid names is still the one that verified it, and its claims are still
// valid now. Otherwise the token must be verified in full.
func (v *Verifier) remembered(ctx context.Context, raw string) (domain.Actor, bool) {
	t, ok := v.verified.get(raw)
	if !ok {
		return domain.Actor{}, false
	}
	key, err := v.keyFor(ctx, t.kid)
	if err != nil || !sameKey(key, t.key) {
		return domain.Actor{}, false
	}
	if err := jwt.NewValidator(v.options()...).Validate(t.claims); err != nil {
		return domain.Actor{}, false
	}
	return t.actor, true
}

// sameKey reports whether a and b are the same public key.
func sameKey(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}
