package credentials

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/erasmus-ledger/ledger/domain/credential"
)

// Alg is the one JOSE algorithm the ledger signs and accepts credentials
// with: ECDSA on P-256 with SHA-256, which every JOSE library and the 1EdTech
// validator support.
const Alg = "ES256"

// GenerateKey returns a new P-256 signing key.
func GenerateKey() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}

// PublicJWK is pub as the JWK recorded in the log.
func PublicJWK(pub *ecdsa.PublicKey) (credential.JWK, error) {
	if pub.Curve != elliptic.P256() {
		return credential.JWK{}, fmt.Errorf("public JWK: curve %s, want P-256", pub.Curve.Params().Name)
	}
	point, err := pub.Bytes()
	if err != nil {
		return credential.JWK{}, fmt.Errorf("public JWK: %w", err)
	}
	enc := base64.RawURLEncoding
	return credential.JWK{Kty: "EC", Crv: "P-256", X: enc.EncodeToString(point[1:33]), Y: enc.EncodeToString(point[33:])}, nil
}

// PublicKey is the verification key a recorded JWK describes.
func PublicKey(jwk credential.JWK) (*ecdsa.PublicKey, error) {
	point, err := jwk.Uncompressed()
	if err != nil {
		return nil, err
	}
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
}

// JWK is a signing key as published in the ledger's JWK set and at its kid
// URL (RFC 7517): the recorded public key with its kid, use and algorithm.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
}

// JWKSet is a JWK set document, as served at /.well-known/jwks.json.
type JWKSet struct {
	Keys []JWK `json:"keys"`
}

// Publish is the published form of a recorded key with kid kid.
func Publish(kid string, jwk credential.JWK) JWK {
	return JWK{Kty: jwk.Kty, Crv: jwk.Crv, X: jwk.X, Y: jwk.Y, Kid: kid, Use: "sig", Alg: Alg}
}
