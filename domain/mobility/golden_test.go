package mobility

import (
	"encoding/json"
	"flag"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// samples holds one event of every type of the package, with every field set.
func samples() []domain.Event {
	a := agreed()
	a.Host.OID = "E30000003"
	c := completed()
	c.ECTS, c.Hours = ptr(2.5), ptr(60)
	return []domain.Event{
		a,
		c,
		Cancelled{MobilityID: "m1", Reason: "The host centre closed for renovation."},
		Recognised{MobilityID: "m1", Decision: DecisionPartial, Note: "Outcome o2 to be consolidated at home."},
	}
}

// TestGoldenOptional pins the stored form of a completion without credits and
// a host known by name only.
func TestGoldenOptional(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{Completed{MobilityID: "m1", StartDate: d("2025-03-03"), EndDate: d("2025-03-14"), Results: []OutcomeResult{{OutcomeID: "o1", Result: ResultAchieved}}},
			`{"mobility_id":"m1","start_date":"2025-03-03","end_date":"2025-03-14","results":[{"outcome_id":"o1","result":"achieved","evidence":""}],"ects":null,"hours":null}`},
		{Host{Country: "FI"}, `{"country":"FI"}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("stored form\ngot  %s\nwant %s", got, tt.want)
		}
	}
}

// TestGolden pins the stored JSON form of every event: a change to it changes
// what the log holds, so it must be deliberate (go test -update).
func TestGolden(t *testing.T) {
	golden.Check(t, samples(), EventTypes(), *update)
}
