package credentials

import "crypto/ecdsa"

// ParsedPublicKey is the public key k was remembered with, nil if none: for
// tests of the Service's key cache.
func ParsedPublicKey(k IssuerKey) *ecdsa.PublicKey { return k.public }
