package auth_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/auth"
)

type memVault map[string][]byte

func (v memVault) LoadOrCreate(_ context.Context, name string, create func() ([]byte, error)) ([]byte, error) {
	if b, ok := v[name]; ok {
		return b, nil
	}
	b, err := create()
	v[name] = b
	return b, err
}

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

func setup(t *testing.T) (*auth.Minter, *auth.Verifier) {
	m, err := auth.LoadMinter(context.Background(), memVault{}, "https://ledger.example.eu", "recognition-ledger")
	if err != nil {
		t.Fatal(err)
	}
	return m, auth.NewVerifier(m.Issuer, m.Audience, m.KID, m.Public(), nil, clock)
}

func signed(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func claims(edit func(jwt.MapClaims)) jwt.MapClaims {
	c := jwt.MapClaims{"iss": "https://ledger.example.eu", "aud": "recognition-ledger", "sub": "u1",
		"exp": now.Add(time.Hour).Unix(), "roles": []string{"issuer"}, "org": "E10208051"}
	if edit != nil {
		edit(c)
	}
	return c
}

func TestMintedTokenNamesTheActor(t *testing.T) {
	m, v := setup(t)
	tok, err := m.Mint("u1", []domain.Role{domain.RoleIssuer}, "E10208051", time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	a, err := v.Actor(context.Background(), "Bearer "+tok)
	if err != nil {
		t.Fatal(err)
	}
	if a.Subject != "u1" || a.Org != "E10208051" || !a.ActsFor("E10208051") || a.ActsFor("E10154720") {
		t.Fatalf("actor = %+v", a)
	}
}

func TestRejectedTokens(t *testing.T) {
	m, v := setup(t)
	own, err := m.Mint("u1", []domain.Role{domain.RoleIssuer}, "E10208051", time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	mint := func(edit func(jwt.MapClaims)) string {
		// Signed by a stranger's key under the ledger's kid.
		return signed(t, jwt.SigningMethodEdDSA, edPriv, m.KID, claims(edit))
	}
	hs := signed(t, jwt.SigningMethodHS256, []byte(m.Public()), m.KID, claims(nil))
	none := signed(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, m.KID, claims(nil))
	cases := map[string]string{
		"empty":                     "",
		"not bearer":                "Token " + own,
		"garbage":                   "Bearer a.b.c",
		"stranger's key":            "Bearer " + mint(nil),
		"HS256 with the public key": "Bearer " + hs,
		"alg none":                  "Bearer " + none,
		"unknown kid":               "Bearer " + signed(t, jwt.SigningMethodES256, ec, "other", claims(nil)),
	}
	for name, header := range cases {
		if _, err := v.Actor(context.Background(), header); !errors.Is(err, domain.ErrUnauthenticated) {
			t.Errorf("%s: err = %v, want unauthenticated", name, err)
		}
	}
}

// jwksServer serves one EC key as a JWKS, as an OpenID provider would.
func jwksServer(t *testing.T, kid string, pub *ecdsa.PublicKey) *httptest.Server {
	b := func(n []byte) string { return base64.RawURLEncoding.EncodeToString(n) }
	x, y := make([]byte, 32), make([]byte, 32)
	pub.X.FillBytes(x)
	pub.Y.FillBytes(y)
	set := map[string]any{"keys": []map[string]string{{"kty": "EC", "crv": "P-256", "kid": kid, "x": b(x), "y": b(y)}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _ = json.NewEncoder(w).Encode(set) }))
	t.Cleanup(srv.Close)
	return srv
}

func TestExternalProviderClaims(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	srv := jwksServer(t, "idp-1", &k.PublicKey)
	v := auth.NewVerifier("https://ledger.example.eu", "recognition-ledger", "own", nil, auth.NewJWKS(srv.URL, srv.Client()), clock)
	tests := []struct {
		name string
		edit func(jwt.MapClaims)
		ok   bool
	}{
		{"valid", nil, true},
		{"expired", func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() }, false},
		{"no exp", func(c jwt.MapClaims) { delete(c, "exp") }, false},
		{"wrong issuer", func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }, false},
		{"no issuer", func(c jwt.MapClaims) { delete(c, "iss") }, false},
		{"wrong audience", func(c jwt.MapClaims) { c["aud"] = "another-service" }, false},
		{"no audience", func(c jwt.MapClaims) { delete(c, "aud") }, false},
		{"no subject", func(c jwt.MapClaims) { delete(c, "sub") }, false},
		{"no roles", func(c jwt.MapClaims) { delete(c, "roles") }, false},
		{"unknown role", func(c jwt.MapClaims) { c["roles"] = []string{"root"} }, false},
		{"issuer without org", func(c jwt.MapClaims) { delete(c, "org") }, false},
		{"issuer with bad org", func(c jwt.MapClaims) { c["org"] = "12345" }, false},
	}
	for _, tt := range tests {
		tok := signed(t, jwt.SigningMethodES256, k, "idp-1", claims(tt.edit))
		_, err := v.Actor(context.Background(), "Bearer "+tok)
		if tt.ok != (err == nil) {
			t.Errorf("%s: err = %v", tt.name, err)
		}
		if err != nil && !errors.Is(err, domain.ErrUnauthenticated) {
			t.Errorf("%s: err %v is not unauthenticated", tt.name, err)
		}
	}
}

func TestJWKParsesKeyTypes(t *testing.T) {
	_, err := auth.JWK{Kty: "EC", Crv: "P-256", X: "AAAA", Y: "AAAA"}.PublicKey()
	if err == nil {
		t.Fatal("accepted a point not on the curve")
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	k, err := auth.JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(pub)}.PublicKey()
	if err != nil || !pub.Equal(k.(crypto.PublicKey)) {
		t.Fatalf("Ed25519 JWK: %v", err)
	}
}

// keys is a KeySource whose keys a test changes.
type keys map[string]crypto.PublicKey

func (k keys) Key(_ context.Context, kid string) (crypto.PublicKey, error) {
	if pub, ok := k[kid]; ok {
		return pub, nil
	}
	return nil, errors.New("unknown key")
}

func TestVerifiedTokenIsCheckedAgainOnEveryUse(t *testing.T) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	at := now
	tests := []struct {
		name   string
		change func(keys)
	}{
		{"token expired since", func(keys) { at = now.Add(2 * time.Hour) }},
		{"key withdrawn", func(ks keys) { delete(ks, "idp-1") }},
		{"key replaced under the same kid", func(ks keys) { ks["idp-1"] = &other.PublicKey }},
	}
	for _, tt := range tests {
		at = now
		ks := keys{"idp-1": &k.PublicKey}
		v := auth.NewVerifier("https://ledger.example.eu", "recognition-ledger", "own", nil, ks, func() time.Time { return at })
		tok := "Bearer " + signed(t, jwt.SigningMethodES256, k, "idp-1", claims(nil))
		for range 2 {
			if _, err := v.Actor(context.Background(), tok); err != nil {
				t.Fatalf("%s: valid token refused: %v", tt.name, err)
			}
		}
		tt.change(ks)
		if _, err := v.Actor(context.Background(), tok); !errors.Is(err, domain.ErrUnauthenticated) {
			t.Errorf("%s: err = %v, want unauthenticated", tt.name, err)
		}
	}
}

func TestTamperedCopyOfAVerifiedTokenIsRefused(t *testing.T) {
	m, v := setup(t)
	tok, err := m.Mint("u1", []domain.Role{domain.RoleAuditor}, "", time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Actor(context.Background(), "Bearer "+tok); err != nil {
		t.Fatal(err)
	}
	head, sig, _ := strings.Cut(tok, ".")
	payload, sig, _ := strings.Cut(sig, ".")
	forged := head + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"https://ledger.example.eu","aud":"recognition-ledger","sub":"u1","exp":`+
		strconv.FormatInt(now.Add(time.Hour).Unix(), 10)+`,"roles":["admin"]}`)) + "." + sig
	if payload == "" || forged == tok {
		t.Fatal("could not forge")
	}
	if _, err := v.Actor(context.Background(), "Bearer "+forged); !errors.Is(err, domain.ErrUnauthenticated) {
		t.Errorf("forged claims under a verified signature: err = %v, want unauthenticated", err)
	}
}

func BenchmarkActor(b *testing.B) {
	m, err := auth.LoadMinter(context.Background(), memVault{}, "https://ledger.example.eu", "recognition-ledger")
	if err != nil {
		b.Fatal(err)
	}
	v := auth.NewVerifier(m.Issuer, m.Audience, m.KID, m.Public(), nil, time.Now)
	tok, err := m.Mint("u1", []domain.Role{domain.RoleIssuer}, "E10208051", time.Hour, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Actor(context.Background(), "Bearer "+tok); err != nil {
			b.Fatal(err)
		}
	}
}
