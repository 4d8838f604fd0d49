package credential

import (
	"crypto/ecdh"
	"encoding/base64"

	"github.com/erasmus-ledger/ledger/domain"
)

// JWK is an issuer's public key as a JSON Web Key (RFC 7517, RFC 7518 §6.2): an
// EC key on P-256, its coordinates in unpadded base64url, 32 bytes each.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// coordinateSize is the length of a P-256 coordinate in bytes.
const coordinateSize = 32

// Uncompressed returns the key as an uncompressed SEC 1 point (0x04‖x‖y). It
// fails with an Invalid error unless the JWK is a P-256 key whose point is on
// the curve.
func (j JWK) Uncompressed() ([]byte, error) {
	if j.Kty != "EC" || j.Crv != "P-256" {
		return nil, domain.Invalidf("public_jwk must be an EC key on P-256, not %s/%s", j.Kty, j.Crv)
	}
	x, errX := base64.RawURLEncoding.DecodeString(j.X)
	y, errY := base64.RawURLEncoding.DecodeString(j.Y)
	if errX != nil || errY != nil || len(x) != coordinateSize || len(y) != coordinateSize {
		return nil, domain.Invalidf("public_jwk coordinates must be %d bytes each in unpadded base64url", coordinateSize)
	}
	point := append(append([]byte{4}, x...), y...)
	if _, err := ecdh.P256().NewPublicKey(point); err != nil {
		return nil, domain.Invalidf("public_jwk is not a point on P-256")
	}
	return point, nil
}
