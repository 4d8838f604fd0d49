package credentialstatus_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
)

func issued(id string, rev, sus int) credential.Issued {
	return credential.Issued{CredentialID: id, MobilityID: "m-" + id, ParticipantID: "p1", IssuerOID: "E10000001", KeyID: "k1",
		RevocationList: "rev-1", RevocationIndex: rev, SuspensionList: "sus-1", SuspensionIndex: sus}
}

func TestCredentialStatus(t *testing.T) {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name             string
		events           []domain.Event
		status           credential.Status
		revoked, suspend []int
	}{
		{"issued", []domain.Event{issued("c1", 7, 9)}, credential.StatusActive, nil, nil},
		{"revoked sets its revocation bit", []domain.Event{issued("c1", 7, 9), issued("c2", 3, 4), credential.Revoked{CredentialID: "c1"}, credential.Revoked{CredentialID: "c2"}},
			credential.StatusRevoked, []int{3, 7}, nil},
		{"suspended sets its suspension bit", []domain.Event{issued("c1", 7, 9), credential.Suspended{CredentialID: "c1"}},
			credential.StatusSuspended, nil, []int{9}},
		{"reinstated clears it", []domain.Event{issued("c1", 7, 9), credential.Suspended{CredentialID: "c1"}, credential.Reinstated{CredentialID: "c1"}},
			credential.StatusActive, nil, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := projections.NewMemory()
			var events []projections.Event
			for i, e := range tt.events {
				events = append(events, projections.Event{Index: uint64(10 + i), RecordedAt: at.Add(time.Duration(i) * time.Hour), Data: e})
			}
			ctx := context.Background()
			if err := projections.Fold(ctx, credentialstatus.Projection{}, docs, events); err != nil {
				t.Fatal(err)
			}
			c, err := credentialstatus.Lookup(ctx, docs, "c1")
			if err != nil || c == nil {
				t.Fatalf("lookup: %v %v", c, err)
			}
			if c.Status != tt.status || c.IssuedIndex != 10 || c.MobilityID != "m-c1" || c.IssuedAt != at {
				t.Errorf("credential %+v", c)
			}
			rev, _ := credentialstatus.Bits(ctx, docs, "rev-1")
			sus, _ := credentialstatus.Bits(ctx, docs, "sus-1")
			if !reflect.DeepEqual(rev, tt.revoked) || !reflect.DeepEqual(sus, tt.suspend) {
				t.Errorf("bits: revocation %v, suspension %v; want %v, %v", rev, sus, tt.revoked, tt.suspend)
			}
		})
	}
}

func TestExpiry(t *testing.T) {
	until := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := credentialstatus.Credential{Status: credential.StatusActive, ValidUntil: &until}
	if c.At(until.Add(-time.Second)) != credential.StatusActive || c.At(until) != credential.StatusExpired {
		t.Errorf("expiry around %v: %s, %s", until, c.At(until.Add(-time.Second)), c.At(until))
	}
}
