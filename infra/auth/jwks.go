package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"time"
)

// JWKS is an OpenID provider's key set, fetched over HTTP and refreshed when a
// token names a key it does not know (at most once per MinRefresh).
type JWKS struct {
	URL        string
	Client     *http.Client
	MinRefresh time.Duration

	mu      sync.Mutex
	keys    map[string]crypto.PublicKey
	fetched time.Time
}

// NewJWKS returns a key source reading url.
func NewJWKS(url string, client *http.Client) *JWKS {
	return &JWKS{URL: url, Client: client, MinRefresh: 30 * time.Second}
}

// Key returns the public key called kid.
func (j *JWKS) Key(ctx context.Context, kid string) (crypto.PublicKey, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if k, ok := j.keys[kid]; ok {
		return k, nil
	}
	if time.Since(j.fetched) < j.MinRefresh {
		return nil, fmt.Errorf("unknown key %q", kid)
	}
	j.fetched = time.Now()
	keys, err := j.fetch(ctx)
	if err != nil {
		return nil, err
	}
	j.keys = keys
	if k, ok := keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("unknown key %q", kid)
}

func (j *JWKS) fetch(ctx context.Context) (map[string]crypto.PublicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.URL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := j.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch JWKS: %s", resp.Status)
	}
	var set struct {
		Keys []JWK `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&set); err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	keys := map[string]crypto.PublicKey{}
	for _, k := range set.Keys {
		if pub, err := k.PublicKey(); err == nil && k.Kid != "" {
			keys[k.Kid] = pub
		}
	}
	return keys, nil
}

// JWK is a public JSON Web Key (RFC 7517) of type EC, RSA or OKP.
type JWK struct {
	Kty string `json:"kty"`
	Kid string `json:"kid,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
}

// PublicKey decodes the key.
func (k JWK) PublicKey() (crypto.PublicKey, error) {
	b := func(s string) []byte { v, _ := base64.RawURLEncoding.DecodeString(s); return v }
	switch {
	case k.Kty == "OKP" && k.Crv == "Ed25519" && len(b(k.X)) == ed25519.PublicKeySize:
		return ed25519.PublicKey(b(k.X)), nil
	case k.Kty == "EC" && k.Crv == "P-256":
		pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(b(k.X)), Y: new(big.Int).SetBytes(b(k.Y))}
		if _, err := pub.ECDH(); err != nil {
			return nil, fmt.Errorf("jwk %s: point not on curve", k.Kid)
		}
		return pub, nil
	case k.Kty == "RSA" && len(b(k.N)) >= 256:
		return &rsa.PublicKey{N: new(big.Int).SetBytes(b(k.N)), E: int(new(big.Int).SetBytes(b(k.E)).Int64())}, nil
	}
	return nil, fmt.Errorf("jwk %s: unsupported key type %s/%s", k.Kid, k.Kty, k.Crv)
}
