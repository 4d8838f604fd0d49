package httpapi

import (
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

func TestPrefersHTML(t *testing.T) {
	tests := []struct {
		accept string
		html   bool
	}{
		{"", false},
		{"*/*", false},
		{"application/json", false},
		{"text/html", true},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true},
		{"application/json, text/html", false},
		{"application/problem+json, text/html", false},
		{"nonsense;;, text/html", true},
	}
	for _, tt := range tests {
		if got := prefersHTML(tt.accept); got != tt.html {
			t.Errorf("prefersHTML(%q) = %v, want %v", tt.accept, got, tt.html)
		}
	}
}

func TestTranscriptPageEscapesAndLabels(t *testing.T) {
	tr := transcript.Transcript{Holder: transcript.Holder{Name: "<script>alert(1)</script>", Role: "ecec_core_practitioner"},
		Mobilities: []transcript.MobilityView{{ID: "m1", Activity: mobility.ActivityTeachingAssignment, State: mobility.StatePlanned,
			Outcomes: []transcript.Outcome{{Title: "Music & movement", EQFLevel: 4}}}}}
	page, err := renderTranscript(tr, time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, want := range []string{"&lt;script&gt;", "Ecec core practitioner", "Teaching assignment", "Music &amp; movement",
		"Not yet assessed", "No recognition decision recorded.", "Printed 14 March 2025"} {
		if !strings.Contains(s, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(s, "<script>") {
		t.Error("the holder's name was not escaped")
	}
}
