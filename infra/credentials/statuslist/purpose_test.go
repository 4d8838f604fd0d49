package statuslist

import (
	"errors"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
)

func TestParsePurpose(t *testing.T) {
	for _, s := range []string{"revocation", "suspension"} {
		if p, err := ParsePurpose(s); err != nil || string(p) != s {
			t.Errorf("ParsePurpose(%q) = %q, %v", s, p, err)
		}
	}
	for _, s := range []string{"", "message", "Revocation", "refresh"} {
		if _, err := ParsePurpose(s); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("ParsePurpose(%q) = %v, want Invalid", s, err)
		}
	}
}
