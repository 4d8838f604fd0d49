package credentials

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// Signer signs VC-JWTs with one issuer key: ES256, and a header of exactly
// alg, kid and typ "JWT". Kid is the key's absolute URL (URLs.Key).
type Signer struct {
	Kid string
	Key *ecdsa.PrivateKey
}

// credentialClaims is an Open Badges VC-JWT payload: the credential's members
// and the JWT claims that repeat them, side by side.
type credentialClaims struct {
	OpenBadgeCredential
	jwt.RegisteredClaims
}

// SignCredential returns c as a compact VC-JWT, with iss = issuer.id,
// jti = id, sub = credentialSubject.id, nbf = validFrom and, when c expires,
// exp = validUntil.
func (s Signer) SignCredential(c OpenBadgeCredential) (string, error) {
	claims := credentialClaims{OpenBadgeCredential: c, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: c.Issuer.ID, ID: c.ID, Subject: c.CredentialSubject.ID, NotBefore: jwt.NewNumericDate(c.ValidFrom)}}
	if c.ValidUntil != nil {
		claims.ExpiresAt = jwt.NewNumericDate(*c.ValidUntil)
	}
	return s.sign(claims)
}

func (s Signer) sign(claims jwt.Claims) (string, error) {
	if s.Key == nil || s.Kid == "" {
		return "", fmt.Errorf("sign: the signer has no key or kid")
	}
	t := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	t.Header["kid"] = s.Kid
	token, err := t.SignedString(s.Key)
	if err != nil {
		return "", fmt.Errorf("sign with %s: %w", s.Kid, err)
	}
	return token, nil
}

// TokenSHA256 is the lower-case hex SHA-256 of a compact token, as the log
// records it for an issued credential.
func TokenSHA256(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
