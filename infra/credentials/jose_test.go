package credentials

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// TestVerifyWithGoJose verifies an issued credential with go-jose, a JOSE
// implementation independent of the one that signed it, fetching the public
// key the way any verifier does: from the URL in the header's kid.
func TestVerifyWithGoJose(t *testing.T) {
	var w *world
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/keys/{id}", func(rw http.ResponseWriter, r *http.Request) {
		kid := w.urls.Key(r.PathValue("id"))
		k, ok := w.keys[kid]
		if !ok {
			http.NotFound(rw, r)
			return
		}
		rw.Header().Set("Content-Type", "application/jwk+json")
		_ = json.NewEncoder(rw).Encode(Publish(kid, k.Key.PublicJWK))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	w = newWorldAt(t, srv.URL)
	token := w.issue(w.badge("c1"))

	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("go-jose cannot parse the credential: %v", err)
	}
	kid := jws.Signatures[0].Protected.KeyID
	key := fetchJWK(t, srv.Client(), kid)
	if key.KeyID != kid || key.Algorithm != "ES256" || key.Use != "sig" {
		t.Errorf("published key %s: kid %q alg %q use %q", kid, key.KeyID, key.Algorithm, key.Use)
	}
	payload, err := jws.Verify(key)
	if err != nil {
		t.Fatalf("go-jose rejects the signature: %v", err)
	}
	var claims struct {
		Jti  string   `json:"jti"`
		Type []string `json:"type"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Jti != w.urls.Credential("c1") || len(claims.Type) != 2 || claims.Type[1] != "OpenBadgeCredential" {
		t.Errorf("verified payload: %+v, %v", claims, err)
	}

	forged := tamper(t, token, func(p map[string]any) { p["name"] = "forged" })
	if jws, err := jose.ParseSigned(forged, []jose.SignatureAlgorithm{jose.ES256}); err == nil {
		if _, err := jws.Verify(key); err == nil {
			t.Error("go-jose accepts a tampered credential, so this test proves nothing")
		}
	}
}

func fetchJWK(t *testing.T, client *http.Client, kid string) jose.JSONWebKey {
	t.Helper()
	resp, err := client.Get(kid)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s, %v", kid, resp.Status, err)
	}
	var key jose.JSONWebKey
	if err := key.UnmarshalJSON(body); err != nil {
		t.Fatalf("go-jose cannot read the published JWK %s: %v", body, err)
	}
	return key
}
