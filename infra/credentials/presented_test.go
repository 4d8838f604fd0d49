package credentials

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestParsePresentedRefusesNonJWT(t *testing.T) {
	tests := []struct {
		name, in, msg string
	}{
		{"empty", "", "three parts"},
		{"prose", "this is my diploma", "three parts"},
		{"two parts", b64(`{}`) + "." + b64(`{}`), "three parts"},
		{"JWE", strings.Repeat(b64(`{}`)+".", 4) + b64(`{}`), "three parts"},
		{"header not base64url", "%%%." + b64(`{}`) + ".", "header is not unpadded base64url"},
		{"padded header", b64(`{"a":1}`) + "=." + b64(`{}`) + ".", "header is not unpadded base64url"},
		{"header not JSON", b64(`alg`) + "." + b64(`{}`) + ".", "header is not a JSON object"},
		{"header an array", b64(`[]`) + "." + b64(`{}`) + ".", "header is not a JSON object"},
		{"header null", b64(`null`) + "." + b64(`{}`) + ".", "header is not a JSON object"},
		{"payload a string", b64(`{}`) + "." + b64(`"x"`) + ".", "payload is not a JSON object"},
		{"payload with trailing data", b64(`{}`) + "." + b64(`{} {}`) + ".", "payload is not a JSON object"},
		{"signature not base64url", b64(`{}`) + "." + b64(`{}`) + ".a+b", "signature"},
		{"too long", b64(`{}`) + "." + strings.Repeat("A", MaxTokenSize) + ".", "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePresented(tt.in)
			if !errors.Is(err, ErrNotJWT) || !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("error %v, want one wrapping ErrNotJWT and domain.ErrInvalid", err)
			}
			var de *domain.Error
			if !errors.As(err, &de) || !strings.Contains(de.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", err, tt.msg)
			}
		})
	}
}

func TestParsePresentedReadsLeniently(t *testing.T) {
	header := b64(`{"alg":"ES256","kid":"https://l.example/v1/keys/k","typ":"JWT","crit":["b64"]}`)
	payload := b64(`{"iss":"https://l.example/o","jti":7,"nbf":1741944600.5,"exp":"tomorrow",
		"id":"urn:x","issuer":{"id":"https://l.example/o","name":"A"},"validFrom":"2025-03-14T09:30:00Z",
		"validUntil":"soon","credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation",
		"statusListIndex":"5","statusListCredential":"https://l.example/v1/status-lists/r"}}`)
	p, err := ParsePresented("  \n" + header + "." + payload + "." + b64("sig") + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if p.Header != (Header{Alg: "ES256", Kid: "https://l.example/v1/keys/k", Typ: "JWT", Crit: true}) {
		t.Errorf("header %+v", p.Header)
	}
	c := p.Claims
	if c.Iss != "https://l.example/o" || c.IssuerID != c.Iss || c.ID != "urn:x" || c.Jti != "" {
		t.Errorf("claims %+v", c)
	}
	if want := time.Unix(1741944600, 500_000_000).UTC(); !c.Nbf.Equal(want) || !c.ValidFrom.Equal(time.Unix(1741944600, 0)) {
		t.Errorf("nbf %s, validFrom %s", c.Nbf, c.ValidFrom)
	}
	if len(c.Status) != 1 || c.Status[0].StatusListIndex != "5" || c.Status[0].StatusPurpose != "revocation" {
		t.Errorf("status %+v", c.Status)
	}
	for _, name := range []string{"jti", "exp", "validUntil"} {
		if c.Malformed[name] == "" {
			t.Errorf("%s not reported malformed: %v", name, c.Malformed)
		}
	}
	if len(c.Malformed) != 3 {
		t.Errorf("malformed %v, want jti, exp and validUntil only", c.Malformed)
	}
}

func TestParsePresentedIssuerAsURL(t *testing.T) {
	p, err := ParsePresented(b64(`{}`) + "." + b64(`{"issuer":"https://l.example/o","nbf":-1}`) + ".")
	if err != nil {
		t.Fatal(err)
	}
	if p.Claims.IssuerID != "https://l.example/o" || p.Claims.Malformed["nbf"] == "" {
		t.Errorf("claims %+v", p.Claims)
	}
}

func TestPresentedCredential(t *testing.T) {
	w := newWorld(t)
	p, err := ParsePresented(w.issue(w.badge("c1")))
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Credential()
	if err != nil {
		t.Fatal(err)
	}
	if c.CredentialSubject.Identifier[0].IdentityHash != "Giulia Bianchi" || c.Issuer.Name != w.issuer.Name {
		t.Errorf("credential %+v", c)
	}
	p, err = ParsePresented(b64(`{}`) + "." + b64(`{"issuer":5}`) + ".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Credential(); !errors.Is(err, domain.ErrInvalid) {
		t.Errorf("Credential of a non-credential: %v", err)
	}
}
