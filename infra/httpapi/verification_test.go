package httpapi

import (
	"encoding/base64"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/credentials"
)

// presented parses an unsigned compact JWT with payload.
func presented(t *testing.T, payload string) credentials.Presented {
	t.Helper()
	enc := base64.RawURLEncoding.EncodeToString
	p, err := credentials.ParsePresented(enc([]byte(`{"alg":"ES256"}`)) + "." + enc([]byte(payload)) + "." + enc([]byte("sig")))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestClaimedMemo checks that the memo answers what each token says, and
// nothing for a payload that is not an Open Badges credential.
func TestClaimedMemo(t *testing.T) {
	var m claimedMemo
	a := presented(t, `{"id":"urn:a","name":"First"}`)
	b := presented(t, `{"id":"urn:b","name":"Second"}`)
	for range 2 {
		if c := m.of(a); c == nil || c.Name != "First" {
			t.Fatalf("claims of a: %+v", c)
		}
		if c := m.of(b); c == nil || c.Name != "Second" {
			t.Fatalf("claims of b: %+v", c)
		}
	}
	if c := m.of(presented(t, `{"name":42}`)); c != nil {
		t.Fatalf("claims of a payload that is no credential: %+v", c)
	}
}
