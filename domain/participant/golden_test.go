package participant

import (
	"flag"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// samples holds one event of every type of the package, with every field set.
// The personal data of Enrolled is set to show that it stays out of the
// stored clear form.
func samples() []domain.Event {
	return []domain.Event{
		Enrolled{ParticipantID: "01J9ZQ5V6K4Y3M8N2P7R0S1T2U", Org: "E10208051", Role: RoleECECAssisting,
			PersonalData: domain.PersonalData{GivenName: "Giulia", FamilyName: "Bianchi", Email: "giulia.bianchi@example.it", BirthDate: "1988-06-02"}},
		Erased{ParticipantID: "01J9ZQ5V6K4Y3M8N2P7R0S1T2U"},
	}
}

// TestGolden pins the stored JSON form of every event: a change to it changes
// what the log holds, so it must be deliberate (go test -update).
func TestGolden(t *testing.T) {
	golden.Check(t, samples(), EventTypes(), *update)
}
