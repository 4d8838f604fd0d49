package httpapi

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/credentials"
)

// unsignedToken is an unsigned compact JWT with payload.
func unsignedToken(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"ES256"}`)) + "." + enc([]byte(payload)) + "." + enc([]byte("sig"))
}

// TestPresentedMemo checks that the memo answers each token's own parse and
// claims, nothing for a payload that is not an Open Badges credential, and
// the parse error for a token that is not a JWT, every time.
func TestPresentedMemo(t *testing.T) {
	var m presentedMemo
	for range 2 {
		for _, tc := range []struct{ token, name string }{
			{unsignedToken(`{"id":"urn:a","name":"First","jti":"urn:a"}`), "First"},
			{unsignedToken(`{"id":"urn:b","name":"Second","jti":"urn:b"}`), "Second"},
		} {
			e, err := m.parse(tc.token)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := credentials.ParsePresented(tc.token)
			if e.p.Token != want.Token || e.p.Claims.Jti != want.Claims.Jti || string(e.p.Payload) != string(want.Payload) {
				t.Fatalf("parse of %s: %+v, want %+v", tc.name, e.p, want)
			}
			if c := e.claims(); c == nil || c.Name != tc.name {
				t.Fatalf("claims of %s: %+v", tc.name, c)
			}
		}
		e, err := m.parse(unsignedToken(`{"name":42}`))
		if err != nil {
			t.Fatal(err)
		}
		if c := e.claims(); c != nil {
			t.Fatalf("claims of a payload that is no credential: %+v", c)
		}
		if _, err := m.parse("not.a-jwt"); !errors.Is(err, credentials.ErrNotJWT) {
			t.Fatalf("parse of a non-JWT: %v", err)
		}
	}
}
