package organisation

import (
	"flag"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// samples holds one event of every type of the package, with every field set.
func samples() []domain.Event {
	return []domain.Event{
		Registered{OID: "E10208051", Name: "Scuola dell'Infanzia Girasole", Country: "IT",
			Kind: KindECECCentre, Accreditation: "2021-1-IT02-KA120-SCH-000012345"},
	}
}

// TestGolden pins the stored JSON form of every event: a change to it changes
// what the log holds, so it must be deliberate (go test -update).
func TestGolden(t *testing.T) {
	golden.Check(t, samples(), EventTypes(), *update)
}
