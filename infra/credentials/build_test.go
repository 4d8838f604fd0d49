package credentials

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// decodePart decodes part i (0 header, 1 payload) of a compact token into v.
func decodePart(t testing.TB, token string, i int, v any) []byte {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestSignedCredentialGolden pins the payload of an issued credential: the Open
// Badges 3.0 form and the JWT claims, as a wallet or validator reads them.
func TestSignedCredentialGolden(t *testing.T) {
	w := newWorld(t)
	b := w.badge("c1")
	until := issueTime.AddDate(5, 0, 0).Add(300 * time.Millisecond)
	b.ValidUntil = &until
	token := w.sign(w.signer, b)
	var payload map[string]any
	decodePart(t, token, 1, &payload)
	got, err := json.MarshalIndent(payload, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "credential.golden.json")
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
		t.Errorf("credential payload changed (go test -update if deliberate):\n%s", got)
	}
}

func TestSignedClaims(t *testing.T) {
	w := newWorld(t)
	b := w.badge("c1")
	b.ValidFrom = issueTime.Add(800 * time.Millisecond)
	until := issueTime.AddDate(1, 0, 0)
	b.ValidUntil = &until
	token := w.sign(w.signer, b)

	var header map[string]any
	decodePart(t, token, 0, &header)
	if len(header) != 3 || header["alg"] != "ES256" || header["typ"] != "JWT" || header["kid"] != w.urls.Key("key-1") {
		t.Errorf("header %v, want exactly alg ES256, kid %s, typ JWT", header, w.urls.Key("key-1"))
	}
	var p struct {
		Iss, Jti, Sub, ID, ValidFrom, ValidUntil string
		Nbf, Exp                                 int64
		Issuer                                   struct{ ID string }
		CredentialSubject                        struct{ ID string }
	}
	decodePart(t, token, 1, &p)
	checks := []struct{ name, got, want string }{
		{"iss", p.Iss, p.Issuer.ID},
		{"iss", p.Iss, w.urls.Organisation(testOID)},
		{"jti", p.Jti, p.ID},
		{"sub", p.Sub, p.CredentialSubject.ID},
		{"validFrom", p.ValidFrom, "2025-03-14T09:30:00Z"},
		{"validUntil", p.ValidUntil, "2026-03-14T09:30:00Z"},
	}
	for _, c := range checks {
		if c.got != c.want || c.got == "" {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if p.Nbf != issueTime.Unix() || p.Exp != until.Unix() {
		t.Errorf("nbf, exp = %d, %d; want %d, %d", p.Nbf, p.Exp, issueTime.Unix(), until.Unix())
	}
}

func TestSignedCredentialWithoutExpiry(t *testing.T) {
	w := newWorld(t)
	var p map[string]any
	decodePart(t, w.sign(w.signer, w.badge("c1")), 1, &p)
	for _, name := range []string{"exp", "validUntil"} {
		if _, ok := p[name]; ok {
			t.Errorf("payload has %s; a credential without expiry must not", name)
		}
	}
}

func TestBuildBadgeRefuses(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name   string
		change func(*Badge)
	}{
		{"no ID", func(b *Badge) { b.ID = "" }},
		{"no holder name", func(b *Badge) { b.Holder.Name = "" }},
		{"no issuer OID", func(b *Badge) { b.Issuer.OID = "" }},
		{"no validFrom", func(b *Badge) { b.ValidFrom = time.Time{} }},
		{"no outcomes", func(b *Badge) { b.Mobility.Outcomes = nil }},
		{"EQF level 9", func(b *Badge) { b.Mobility.Outcomes[0].EQFLevel = 9 }},
		{"unknown result", func(b *Badge) { b.Mobility.Outcomes[1].Result = "passed" }},
		{"unknown status purpose", func(b *Badge) { b.Status[0].Purpose = "refresh" }},
		{"negative status index", func(b *Badge) { b.Status[1].Index = -1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := w.badge("c1")
			tt.change(&b)
			if _, err := BuildBadge(b); err == nil {
				t.Error("BuildBadge accepted it")
			}
		})
	}
}

func TestGreeceIsGR(t *testing.T) {
	w := newWorld(t)
	b := w.badge("c1")
	b.Mobility.Host.Country = "EL"
	c, err := BuildBadge(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.CredentialSubject.Achievement.Host.Address.AddressCountryCode; got != "GR" {
		t.Errorf("addressCountryCode %q, want GR", got)
	}
}

func TestActivity(t *testing.T) {
	tests := []struct{ code, label, elm string }{
		{"job_shadowing", "Job shadowing", elmJobExperience},
		{"teaching_assignment", "Teaching assignment", elmJobExperience},
		{"structured_course", "Structured course", elmWorkshopSeminar},
		{"online_course", "Online course", ""},
		{"", "Mobility", ""},
	}
	for _, tt := range tests {
		if label, elm := activity(tt.code); label != tt.label || elm != tt.elm {
			t.Errorf("activity(%q) = %q, %q; want %q, %q", tt.code, label, elm, tt.label, tt.elm)
		}
	}
}

func TestHostWithoutOIDOrCountry(t *testing.T) {
	w := newWorld(t)
	b := w.badge("c1")
	b.Mobility.Host = Host{Name: "Centro di formazione"}
	c, err := BuildBadge(b)
	if err != nil {
		t.Fatal(err)
	}
	if h := c.CredentialSubject.Achievement.Host; h.Address != nil || h.OtherIdentifier != nil || h.Name != "Centro di formazione" {
		t.Errorf("host %+v, want a name only", h)
	}
}
