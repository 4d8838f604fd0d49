package credential

import (
	"flag"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// samples holds one event of every type of the package, with every field set.
func samples() []domain.Event {
	until := now.AddDate(5, 0, 0)
	return []domain.Event{
		Issued{CredentialID: "cred-1", MobilityID: "mob-1", ParticipantID: "par-1", IssuerOID: "E10208051",
			KeyID: "key-1", ValidFrom: now, ValidUntil: &until, TokenSHA256: sha,
			RevocationList: "rev-list", RevocationIndex: 94567, SuspensionList: "sus-list", SuspensionIndex: 13},
		Revoked{CredentialID: "cred-1", Reason: "issued for the wrong mobility"},
		Suspended{CredentialID: "cred-1", Reason: "under review"},
		Reinstated{CredentialID: "cred-1", Reason: "review closed"},
		KeyRegistered{KeyID: "key-1", OID: "E10208051", PublicJWK: jwk1, RegisteredAt: keyTime},
		KeyRevoked{KeyID: "key-1", OID: "E10208051", RevokedAt: now, Reason: "rotated after a laptop was lost"},
	}
}

// TestGolden pins the stored JSON form of every event: a change to it changes
// what the log holds, so it must be deliberate (go test -update).
func TestGolden(t *testing.T) {
	golden.Check(t, samples(), EventTypes(), *update)
}
