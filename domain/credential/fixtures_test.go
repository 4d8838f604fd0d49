package credential

import (
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

const (
	oid      = "E10208051"
	otherOID = "E10151149"
	sha      = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
)

var (
	stranger = domain.Actor{Subject: "i2", Roles: []domain.Role{domain.RoleIssuer}, Org: otherOID}
	staff    = domain.Actor{Subject: "par-1", Roles: []domain.Role{domain.RoleStaff}}

	keyTime = time.Date(2025, 1, 2, 8, 0, 0, 500_000_000, time.UTC)
	now     = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

	jwk1 = JWK{Kty: "EC", Crv: "P-256", X: "V2ZuQFk_u0zFtZSD7qm6t3kjdJOTBEnHY4sFolXmp-Y", Y: "9oBXAQXBIeSciCtfOGGMDVUa2z_iAREVbRYQr4W60QY"}
	jwk2 = JWK{Kty: "EC", Crv: "P-256", X: "PmvkmX4bfGnXzjxX6CK8LhSgJ2VFQnHNPpQh2AynfTE", Y: "LAVIk_CDFtwhJEwWhUPElaCOxtcFudfzXFDlr1Y6b6Q"}
)

func registered(id, org string, jwk JWK, at time.Time) KeyRegistered {
	return KeyRegistered{KeyID: id, OID: org, PublicJWK: jwk, RegisteredAt: at}
}
