package directory_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/directory"
)

func agreed(id, host string) mobility.Agreed {
	return mobility.Agreed{MobilityID: id, ParticipantID: "p1", SendingOrg: "E10000001", Host: mobility.Host{OID: host, Country: "FI"}}
}

func TestDirectory(t *testing.T) {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		events []domain.Event
		oid    string
		want   *directory.Organisation
	}{
		{"registered", []domain.Event{organisation.Registered{OID: "E10000001", Name: "Kita", Country: "DE", Kind: "ecec_centre", Accreditation: "2021-1-DE02-KA120-SCH-000012345"}},
			"E10000001", &directory.Organisation{OID: "E10000001", Registered: true, Name: "Kita", Country: "DE", Kind: "ecec_centre",
				Accreditation: "2021-1-DE02-KA120-SCH-000012345", RegisteredAt: &at, Sending: map[mobility.State]int{}}},
		{"mobilities move between states", []domain.Event{
			participant.Enrolled{ParticipantID: "p1", Org: "E10000001"}, participant.Enrolled{ParticipantID: "p2", Org: "E10000001"},
			agreed("m1", ""), agreed("m2", "E10000002"), agreed("m3", ""),
			mobility.Completed{MobilityID: "m1"}, mobility.Recognised{MobilityID: "m1"}, mobility.Completed{MobilityID: "m2"}, mobility.Cancelled{MobilityID: "m3"}},
			"E10000001", &directory.Organisation{OID: "E10000001", Staff: 2,
				Sending: map[mobility.State]int{mobility.StateRecognised: 1, mobility.StateCompleted: 1, mobility.StateCancelled: 1}}},
		{"a host known only from mobilities", []domain.Event{agreed("m2", "E10000002"), agreed("m4", "E10000002")},
			"E10000002", &directory.Organisation{OID: "E10000002", Hosted: 2, Sending: map[mobility.State]int{}}},
		{"unknown", nil, "E10000003", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := projections.NewMemory()
			var events []projections.Event
			for i, e := range tt.events {
				events = append(events, projections.Event{Index: uint64(i), RecordedAt: at.Add(time.Duration(i) * time.Hour), Data: e})
			}
			if err := projections.Fold(context.Background(), directory.Projection{}, docs, events); err != nil {
				t.Fatal(err)
			}
			got, err := directory.Lookup(context.Background(), docs, tt.oid)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
