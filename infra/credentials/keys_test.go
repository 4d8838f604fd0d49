package credentials

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"testing"
)

func TestPublicJWKRoundTrip(t *testing.T) {
	for range 20 {
		priv, err := GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		jwk, err := PublicJWK(&priv.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		if len(jwk.X) != 43 || len(jwk.Y) != 43 {
			t.Fatalf("coordinates %q, %q: want 43 base64url characters (32 bytes, leading zeros kept)", jwk.X, jwk.Y)
		}
		pub, err := PublicKey(jwk)
		if err != nil {
			t.Fatal(err)
		}
		if !pub.Equal(&priv.PublicKey) {
			t.Fatal("PublicKey(PublicJWK(k)) differs from k")
		}
	}
}

func TestPublicJWKRefusesOtherCurves(t *testing.T) {
	priv, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PublicJWK(&priv.PublicKey); err == nil {
		t.Error("PublicJWK accepted a P-384 key")
	}
}

func TestPublish(t *testing.T) {
	priv, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := PublicJWK(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(JWKSet{Keys: []JWK{Publish("https://l.example/v1/keys/k1", jwk)}})
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	k := set.Keys[0]
	if len(k) != 7 || k["kty"] != "EC" || k["crv"] != "P-256" || k["x"] != jwk.X || k["y"] != jwk.Y ||
		k["kid"] != "https://l.example/v1/keys/k1" || k["use"] != "sig" || k["alg"] != "ES256" {
		t.Errorf("published %s", b)
	}
}

// TestIssuerKeyPublicKey checks that an issuer key checks signatures with the
// key it was remembered with, and else with its JWK parsed.
func TestIssuerKeyPublicKey(t *testing.T) {
	a, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	b, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := PublicJWK(&a.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	k := IssuerKey{}
	k.Key.PublicJWK = jwk
	if pub, err := k.publicKey(); err != nil || !pub.Equal(&a.PublicKey) {
		t.Fatalf("key parsed from its JWK: %v, %v", pub, err)
	}
	k.public = &b.PublicKey
	if pub, err := k.publicKey(); err != nil || !pub.Equal(&b.PublicKey) {
		t.Fatalf("key remembered: %v, %v", pub, err)
	}
}
