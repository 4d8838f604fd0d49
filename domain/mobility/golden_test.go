package mobility

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
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
	checkCoverage(t, samples(), EventTypes())
	for _, e := range samples() {
		t.Run(e.EventType(), func(t *testing.T) {
			got, err := json.MarshalIndent(e, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", e.EventType()+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("stored form of %s changed:\ngot  %s\nwant %s", e.EventType(), got, want)
			}
			checkRoundTrip(t, e, want)
		})
	}
}

// checkCoverage fails unless there is exactly one sample of every event type.
func checkCoverage(t *testing.T, samples, types []domain.Event) {
	t.Helper()
	seen := map[reflect.Type]bool{}
	for _, s := range samples {
		seen[reflect.TypeOf(s)] = true
	}
	for _, e := range types {
		if !seen[reflect.TypeOf(e)] {
			t.Errorf("no golden sample of %T", e)
		}
	}
	if len(samples) != len(types) {
		t.Errorf("%d samples for %d event types", len(samples), len(types))
	}
}

// checkRoundTrip fails unless stored decodes back to e.
func checkRoundTrip(t *testing.T, e domain.Event, stored []byte) {
	t.Helper()
	p := reflect.New(reflect.TypeOf(e))
	if err := json.Unmarshal(stored, p.Interface()); err != nil {
		t.Fatal(err)
	}
	if got := p.Elem().Interface(); !reflect.DeepEqual(got, e) {
		t.Errorf("decoded %#v, want %#v", got, e)
	}
}
