package domain

import "testing"

func TestStreams(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{OrganisationStream("E10208051"), "organisation-E10208051"},
		{ParticipantStream("p1"), "participant-p1"},
		{MobilityStream("m1"), "mobility-m1"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got stream %q, want %q", tt.got, tt.want)
		}
	}
}
