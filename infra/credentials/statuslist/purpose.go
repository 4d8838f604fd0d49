package statuslist

import "github.com/erasmus-ledger/ledger/domain"

// Purpose is what a list's set bits mean, its statusPurpose.
type Purpose string

// The purposes the ledger keeps lists for. A revocation is final; a
// suspension is lifted by a reinstatement, which unsets the bit.
const (
	Revocation Purpose = "revocation"
	Suspension Purpose = "suspension"
)

// ParsePurpose reads a statusPurpose the ledger keeps lists for.
func ParsePurpose(s string) (Purpose, error) {
	switch p := Purpose(s); p {
	case Revocation, Suspension:
		return p, nil
	}
	return "", domain.Invalidf("status purpose %q is not revocation or suspension", s)
}
