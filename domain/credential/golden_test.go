package credential

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
