package app_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/erasmus-ledger/ledger/infra/credentials"
)

// credentialWorld is a seeded ledger whose mobility is completed and whose
// organisation has a signing key.
type credentialWorld struct {
	world
	keyID, kid string
}

func seedCredentials(l *testLedger) credentialWorld {
	w := credentialWorld{world: seed(l)}
	l.must(200, "POST", "/v1/mobilities/"+w.mobility+"/completion", w.issuer, completion(w.world))
	w.keyID, w.kid = createKey(l, w.admin, w.oid)
	return w
}

// createKey creates a signing key for oid and returns its ID and kid.
func createKey(l *testLedger, admin, oid string) (string, string) {
	l.t.Helper()
	k := l.must(201, "POST", "/v1/organisations/"+oid+"/keys", admin, nil)
	id, kid := k["id"].(string), k["kid"].(string)
	if kid != l.url+"/v1/keys/"+id {
		l.t.Fatalf("kid %s is not the key's URL under the public URL", kid)
	}
	return id, kid
}

// issued is a credential as issuance answers it.
type issued struct {
	id, jwt string
}

func issue(l *testLedger, token, mobility string) issued {
	l.t.Helper()
	c := l.must(201, "POST", "/v1/mobilities/"+mobility+"/credentials", token, nil)
	return issued{id: c["id"].(string), jwt: c["jwt"].(string)}
}

// completedMobility records and completes another mobility of the world's
// participant.
func completedMobility(l *testLedger, w world) string {
	l.t.Helper()
	m := l.must(201, "POST", "/v1/mobilities", w.issuer, agreement(w.participant))
	var outcomes []string
	for _, o := range m["planned_outcomes"].([]any) {
		outcomes = append(outcomes, o.(map[string]any)["id"].(string))
	}
	w.outcomes = outcomes
	l.must(200, "POST", "/v1/mobilities/"+m["id"].(string)+"/completion", w.issuer, completion(w))
	return m["id"].(string)
}

// verify presents token to POST /v1/verifications.
func verify(l *testLedger, token string) map[string]any {
	l.t.Helper()
	return l.must(200, "POST", "/v1/verifications", "", token, "Content-Type", "application/vc+jwt")
}

// checkResult fails unless a verification has valid, status and, for each
// check, ok as want says (checks not named must pass).
func checkResult(t *testing.T, v map[string]any, valid bool, status string, failing ...string) {
	t.Helper()
	if v["valid"] != valid || v["status"] != status {
		t.Fatalf("verification: valid %v, status %v; want %v, %s: %v", v["valid"], v["status"], valid, status, v["checks"])
	}
	var names []string
	for _, c := range v["checks"].([]any) {
		c := c.(map[string]any)
		names = append(names, c["name"].(string))
		if want := !slices.Contains(failing, c["name"].(string)); c["ok"] != want {
			t.Errorf("check %s: ok %v, want %v (%s)", c["name"], c["ok"], want, c["detail"])
		}
	}
	for _, f := range failing {
		if !slices.Contains(names, f) {
			t.Errorf("no check named %s among %v", f, names)
		}
	}
}

// part decodes part i (0 header, 1 payload) of a compact JWT, independently
// of the ledger's code.
func part(t *testing.T, token string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWT: %q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// statusEntry returns the list URL and index of a credential's entry for
// purpose.
func statusEntry(t *testing.T, token, purpose string) (string, int) {
	t.Helper()
	for _, e := range part(t, token, 1)["credentialStatus"].([]any) {
		e := e.(map[string]any)
		if e["statusPurpose"] == purpose && e["type"] == "BitstringStatusListEntry" {
			i, err := strconv.Atoi(e["statusListIndex"].(string))
			if err != nil {
				t.Fatal(err)
			}
			return e["statusListCredential"].(string), i
		}
	}
	t.Fatalf("no %s entry in the credential", purpose)
	return "", 0
}

// statusBit fetches the status list at listURL (as of timestamp, if set)
// and reads bit index of its encodedList by hand: multibase prefix,
// base64url, gunzip, then bit 0 is the most significant bit of byte 0.
func statusBit(l *testLedger, listURL string, index int, timestamp string) bool {
	l.t.Helper()
	path := strings.TrimPrefix(listURL, l.url)
	if timestamp != "" {
		path += "?timestamp=" + url.QueryEscape(timestamp)
	}
	r := l.do("GET", path, "", nil)
	if r.status != 200 || r.header.Get("Content-Type") != "application/vc+jwt" {
		l.t.Fatalf("GET %s: %d %s: %s", path, r.status, r.header.Get("Content-Type"), r.body)
	}
	subject := part(l.t, string(r.body), 1)["credentialSubject"].(map[string]any)
	encoded := subject["encodedList"].(string)
	if !strings.HasPrefix(encoded, "u") {
		l.t.Fatalf("encodedList lacks the multibase prefix u")
	}
	z, err := base64.RawURLEncoding.DecodeString(encoded[1:])
	if err != nil {
		l.t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		l.t.Fatal(err)
	}
	bits, err := io.ReadAll(zr)
	if err != nil {
		l.t.Fatal(err)
	}
	if len(bits)*8 < 131072 {
		l.t.Fatalf("the list has %d entries, fewer than 131072", len(bits)*8)
	}
	return bits[index/8]>>(7-index%8)&1 == 1
}

func TestCredentialIssueVerifyRevoke(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l := start(t, backend)
			w := seedCredentials(l)
			first := l.do("POST", "/v1/mobilities/"+w.mobility+"/credentials", w.issuer, nil, "Idempotency-Key", "issue-1")
			again := l.do("POST", "/v1/mobilities/"+w.mobility+"/credentials", w.issuer, nil, "Idempotency-Key", "issue-1")
			if first.status != 201 || again.status != 201 || string(again.body) != string(first.body) {
				t.Fatalf("issuance retried with its Idempotency-Key: %d %s, then %d %s", first.status, first.body, again.status, again.body)
			}
			m := first.json(t)
			c := issued{id: m["id"].(string), jwt: m["jwt"].(string)}
			if m["verify_url"] != l.url+"/verify/"+c.id {
				t.Fatalf("verify_url %v", m["verify_url"])
			}
			checkHeader(t, c.jwt, w.kid)
			checkResult(t, verify(l, c.jwt), true, "active")
			rec := l.must(200, "GET", "/v1/credentials/"+c.id+"/verification", "", nil)
			if rec["status"] != "active" || rec["holder"].(map[string]any)["name"] != "Zofia Quellenberg" ||
				rec["issuer"].(map[string]any)["oid"] != w.oid || rec["log"].(map[string]any)["index"] == nil ||
				len(rec["achievement"].(map[string]any)["outcomes"].([]any)) != 2 {
				t.Fatalf("verification by ID: %v", rec)
			}
			l.must(409, "POST", "/v1/mobilities/"+w.mobility+"/credentials", w.issuer, nil)
			l.must(403, "POST", "/v1/mobilities/"+w.mobility+"/credentials", w.otherIssuer, nil)
			l.must(403, "POST", "/v1/credentials/"+c.id+"/revocation", w.otherIssuer, map[string]any{"reason": "not mine"})

			l.must(200, "POST", "/v1/credentials/"+c.id+"/revocation", w.issuer, map[string]any{"reason": "issued in error"})
			checkResult(t, verify(l, c.jwt), false, "revoked", "status")
			rec = l.must(200, "GET", "/v1/credentials/"+c.id+"/verification", "", nil)
			if rec["status"] != "revoked" || rec["revoked_at"] == nil || rec["valid"] != false {
				t.Fatalf("verification by ID after revocation: %v", rec)
			}
			list, index := statusEntry(t, c.jwt, "revocation")
			if !statusBit(l, list, index, "") || statusBit(l, list, (index+1)%131072, "") {
				t.Fatalf("revocation list: bit %d unset, or its neighbour set", index)
			}
			if list, index := statusEntry(t, c.jwt, "suspension"); statusBit(l, list, index, "") {
				t.Fatalf("suspension bit %d set for a revoked credential", index)
			}
			l.must(409, "POST", "/v1/credentials/"+c.id+"/revocation", w.issuer, map[string]any{"reason": "again"})

			next := issue(l, w.issuer, w.mobility)
			if next.id == c.id {
				t.Fatalf("the new credential reuses the revoked one's ID %s", c.id)
			}
			checkResult(t, verify(l, next.jwt), true, "active")
		})
	}
}

// checkHeader checks the JOSE header of an issued credential: ES256, the
// kid, typ JWT, and nothing else.
func checkHeader(t *testing.T, token, kid string) {
	t.Helper()
	h := part(t, token, 0)
	if len(h) != 3 || h["alg"] != "ES256" || h["kid"] != kid || h["typ"] != "JWT" {
		t.Fatalf("header %v, want exactly alg ES256, kid %s, typ JWT", h, kid)
	}
}

func TestCredentialSuspensionAndReinstatement(t *testing.T) {
	t.Parallel()
	l := start(t, "postgres")
	w := seedCredentials(l)
	c := issue(l, w.issuer, w.mobility)
	list, index := statusEntry(t, c.jwt, "suspension")
	path := "/v1/credentials/" + c.id
	l.must(409, "POST", path+"/reinstatement", w.issuer, nil)
	l.must(400, "POST", path+"/suspension", w.issuer, map[string]any{"reason": " "})
	s := l.must(200, "POST", path+"/suspension", w.issuer, map[string]any{"reason": "under review"})
	if s["status"] != "suspended" {
		t.Fatalf("suspension answered %v", s)
	}
	checkResult(t, verify(l, c.jwt), false, "suspended", "status")
	if rec := l.must(200, "GET", path+"/verification", "", nil); rec["status"] != "suspended" {
		t.Fatalf("verification by ID: status %v", rec["status"])
	}
	if !statusBit(l, list, index, "") {
		t.Fatalf("suspension bit %d unset while suspended", index)
	}
	l.must(409, "POST", path+"/suspension", w.issuer, map[string]any{"reason": "again"})
	l.must(200, "POST", path+"/reinstatement", w.issuer, map[string]any{"reason": "review closed"})
	checkResult(t, verify(l, c.jwt), true, "active")
	if statusBit(l, list, index, "") {
		t.Fatalf("suspension bit %d still set after reinstatement", index)
	}
}

func TestCredentialKeyRotation(t *testing.T) {
	t.Parallel()
	l := start(t, "sqlite")
	w := seedCredentials(l)
	old := issue(l, w.issuer, w.mobility)
	_, newKid := createKey(l, w.admin, w.oid)
	later := issue(l, w.issuer, completedMobility(l, w.world))
	checkHeader(t, old.jwt, w.kid)
	checkHeader(t, later.jwt, newKid)
	checkResult(t, verify(l, old.jwt), true, "active")
	checkResult(t, verify(l, later.jwt), true, "active")

	r := l.do("GET", "/.well-known/jwks.json", "", nil)
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(r.body, &set); err != nil || r.status != 200 {
		t.Fatalf("JWK set: %d %v: %s", r.status, err, r.body)
	}
	if len(set.Key(w.kid)) != 1 || len(set.Key(newKid)) != 1 {
		t.Fatalf("the JWK set lacks %s or %s: %s", w.kid, newKid, r.body)
	}
	l.must(403, "POST", "/v1/organisations/"+w.oid+"/keys", w.issuer, nil)
	l.must(404, "POST", "/v1/organisations/E99999999/keys", w.admin, nil)
	l.must(404, "GET", "/v1/keys/key_nope", "", nil)
}

func TestCredentialSignedAfterKeyRevocationFails(t *testing.T) {
	t.Parallel()
	l := start(t, "postgres")
	w := seedCredentials(l)
	before := issue(l, w.issuer, w.mobility)
	k := l.must(200, "POST", "/v1/keys/"+w.keyID+"/revocation", w.issuer, map[string]any{"reason": "laptop stolen"})
	revokedAt, err := time.Parse(time.RFC3339, k["revoked_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	l.must(409, "POST", "/v1/keys/"+w.keyID+"/revocation", w.admin, map[string]any{"reason": "again"})
	l.must(409, "POST", "/v1/mobilities/"+completedMobility(l, w.world)+"/credentials", w.issuer, nil)
	checkResult(t, verify(l, before.jwt), true, "active")

	// Whoever stole the key signs a credential after its revocation.
	priv, _, err := credentials.NewKeyStore(l.app.Backend.DB(), l.app.Master).Get(t.Context(), w.keyID)
	if err != nil {
		t.Fatal(err)
	}
	claims := jwt.MapClaims(part(t, before.jwt, 1))
	signedAt := revokedAt.Truncate(time.Second).Add(time.Second)
	claims["nbf"], claims["validFrom"] = signedAt.Unix(), signedAt.Format(time.RFC3339)
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	tok.Header["kid"] = w.kid
	forged, err := tok.SignedString(priv)
	if err != nil {
		t.Fatal(err)
	}
	v := l.must(200, "POST", "/v1/verifications", "", map[string]any{"credential": forged, "at": signedAt.Add(time.Second).Format(time.RFC3339)})
	checkResult(t, v, false, "active", "issuer", "ledger")
	if d := checkDetail(v, "issuer"); !strings.Contains(d, "revoked") {
		t.Errorf("issuer check detail %q does not say the key was revoked", d)
	}
}

func checkDetail(v map[string]any, name string) string {
	for _, c := range v["checks"].([]any) {
		if c := c.(map[string]any); c["name"] == name {
			return c["detail"].(string)
		}
	}
	return ""
}

func TestCredentialConcurrentIssuance(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l := start(t, backend)
			w := seedCredentials(l)
			const n = 6
			statuses := make(chan int, n)
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					req, _ := http.NewRequest("POST", l.url+"/v1/mobilities/"+w.mobility+"/credentials", nil)
					req.Header.Set("Authorization", "Bearer "+w.issuer)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
					statuses <- resp.StatusCode
				})
			}
			wg.Wait()
			close(statuses)
			counts := map[int]int{}
			for s := range statuses {
				counts[s]++
			}
			if counts[201] != 1 || counts[409] != n-1 {
				t.Fatalf("concurrent issuances answered %v; want one 201 and %d 409", counts, n-1)
			}
		})
	}
}

func TestStatusListTimestamp(t *testing.T) {
	t.Parallel()
	l := start(t, "postgres")
	w := seedCredentials(l)
	c := issue(l, w.issuer, w.mobility)
	list, index := statusEntry(t, c.jwt, "revocation")
	before := time.Now().UTC().Format(time.RFC3339Nano)
	l.must(200, "POST", "/v1/credentials/"+c.id+"/revocation", w.issuer, map[string]any{"reason": "withdrawn"})
	after := time.Now().UTC().Format(time.RFC3339Nano)
	if statusBit(l, list, index, before) || !statusBit(l, list, index, after) || !statusBit(l, list, index, "") {
		t.Fatalf("bit %d: want unset before the revocation, set after it and now", index)
	}
	checkResult(t, l.must(200, "POST", "/v1/verifications", "", map[string]any{"credential": c.jwt, "at": before}), true, "active")
	checkResult(t, l.must(200, "POST", "/v1/verifications", "", map[string]any{"credential": c.jwt, "at": after}), false, "revoked", "status")

	path := strings.TrimPrefix(list, l.url)
	first := l.do("GET", path, "", nil)
	etag := first.header.Get("ETag")
	if etag == "" || !strings.Contains(first.header.Get("Cache-Control"), "max-age=") {
		t.Fatalf("status list headers: %v", first.header)
	}
	if r := l.do("GET", path, "", nil, "If-None-Match", etag); r.status != http.StatusNotModified {
		t.Fatalf("If-None-Match with the current ETag: %d", r.status)
	}
	if r := l.do("GET", path+"?timestamp="+url.QueryEscape(before), "", nil, "If-None-Match", etag); r.status != 200 {
		t.Fatalf("the list before the revocation matched today's ETag: %d", r.status)
	}
	l.must(400, "GET", path+"?timestamp=yesterday", "", nil)
	l.must(400, "GET", path+"?timestamp="+url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339)), "", nil)
	l.must(404, "GET", "/v1/status-lists/nope", "", nil)
}

func TestCredentialVerifiesWithGoJose(t *testing.T) {
	t.Parallel()
	l := start(t, "sqlite")
	w := seedCredentials(l)
	c := issue(l, w.issuer, w.mobility)
	jws, err := jose.ParseSigned(c.jwt, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("go-jose cannot parse the credential: %v", err)
	}
	kid := jws.Signatures[0].Protected.KeyID
	resp, err := http.Get(kid)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", kid, resp.StatusCode, err)
	}
	var key jose.JSONWebKey
	if err := key.UnmarshalJSON(body); err != nil {
		t.Fatalf("go-jose cannot read the JWK at %s: %v: %s", kid, err, body)
	}
	if key.KeyID != kid || key.Algorithm != "ES256" || !key.Valid() {
		t.Fatalf("the JWK at %s: kid %q alg %q", kid, key.KeyID, key.Algorithm)
	}
	payload, err := jws.Verify(key)
	if err != nil {
		t.Fatalf("go-jose rejects the signature: %v", err)
	}
	var claims struct {
		Jti, Iss string
		Type     []string `json:"type"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Jti != l.url+"/v1/credentials/"+c.id ||
		claims.Iss != l.url+"/v1/organisations/"+w.oid || !slices.Contains(claims.Type, "OpenBadgeCredential") {
		t.Fatalf("verified payload: %+v %v", claims, err)
	}
}

func TestVerificationsEndpoint(t *testing.T) {
	t.Parallel()
	l := start(t, "sqlite")
	w := seedCredentials(l)
	c := issue(l, w.issuer, w.mobility)
	parts := strings.Split(c.jwt, ".")
	tampered := tamper(t, c.jwt)
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."

	for _, tt := range []struct {
		name    string
		body    any
		ctype   string
		valid   bool
		failing []string
	}{
		{"compact JWT as application/jwt", c.jwt, "application/jwt", true, nil},
		{"JSON with the credential", map[string]any{"credential": c.jwt}, "application/json", true, nil},
		{"tampered payload", tampered, "application/vc+jwt", false, []string{"signature", "issuer", "status", "expiry", "ledger"}},
		{"alg none", none, "application/vc+jwt", false, []string{"signature", "issuer", "status", "expiry", "ledger"}},
	} {
		v := l.must(200, "POST", "/v1/verifications", "", tt.body, "Content-Type", tt.ctype)
		if v["valid"] != tt.valid {
			t.Errorf("%s: valid %v, want %v", tt.name, v["valid"], tt.valid)
		}
		for _, name := range tt.failing {
			if d := checkDetail(v, name); d == "" || checkOK(v, name) {
				t.Errorf("%s: check %s passed or is missing", tt.name, name)
			}
		}
	}
	for _, tt := range []struct{ body, ctype string }{
		{"not a credential", "application/vc+jwt"},
		{"a.b.c", "application/jwt"},
		{`{"credential": 42}`, "application/json"},
		{c.jwt, "image/png"},
	} {
		r := l.do("POST", "/v1/verifications", "", tt.body, "Content-Type", tt.ctype)
		if r.status != 400 || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%.20q as %s: %d %s, want a 400 problem", tt.body, tt.ctype, r.status, r.body)
		}
	}
	l.must(404, "GET", "/v1/credentials/cred-nope-1/verification", "", nil)
	metrics := string(l.do("GET", "/metrics", "", nil).body)
	for _, outcome := range []string{"valid", "failed_signature", "not_a_jwt", "not_found"} {
		if !strings.Contains(metrics, `ledger_verifications_total{outcome="`+outcome+`"}`) {
			t.Errorf("/metrics lacks verifications with outcome %s", outcome)
		}
	}
}

// tamper changes the name in token's payload, keeping its signature.
func tamper(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	payload := part(t, token, 1)
	payload["name"] = "A forged achievement"
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(raw) + "." + parts[2]
}

func checkOK(v map[string]any, name string) bool {
	for _, c := range v["checks"].([]any) {
		if c := c.(map[string]any); c["name"] == name {
			return c["ok"] == true
		}
	}
	return false
}

func TestCredentialOfErasedHolder(t *testing.T) {
	t.Parallel()
	l := start(t, "sqlite")
	w := seedCredentials(l)
	c := issue(l, w.issuer, w.mobility)
	l.must(202, "POST", "/v1/participants/"+w.participant+"/erasure", w.issuer, nil)
	checkResult(t, verify(l, c.jwt), true, "active")
	rec := l.must(200, "GET", "/v1/credentials/"+c.id+"/verification", "", nil)
	if h := rec["holder"].(map[string]any); h["erased"] != true || strings.Contains(h["name"].(string), "Quellenberg") {
		t.Fatalf("holder after erasure: %v", h)
	}
	if page := l.do("GET", "/verify/"+c.id, "", nil); strings.Contains(string(page.body), "Quellenberg") {
		t.Fatal("the verification page names an erased holder")
	}
	l.must(200, "POST", "/v1/credentials/"+c.id+"/revocation", w.issuer, map[string]any{"reason": "reissue"})
	r := l.do("POST", "/v1/mobilities/"+w.mobility+"/credentials", w.issuer, nil)
	if r.status != 409 || !strings.Contains(string(r.body), "erased") {
		t.Fatalf("issuing for an erased participant: %d %s", r.status, r.body)
	}
}

func TestVerificationPage(t *testing.T) {
	t.Parallel()
	l := start(t, "sqlite")
	w := seedCredentials(l)
	revoked := issue(l, w.issuer, w.mobility)
	l.must(200, "POST", "/v1/credentials/"+revoked.id+"/revocation", w.issuer, map[string]any{"reason": "issued in error"})
	valid := issue(l, w.issuer, w.mobility)
	suspended := issue(l, w.issuer, completedMobility(l, w.world))
	l.must(200, "POST", "/v1/credentials/"+suspended.id+"/suspension", w.issuer, map[string]any{"reason": "under review"})
	forged := tamper(t, valid.jwt)
	parts := strings.Split(valid.jwt, ".")
	swapped := parts[0] + "." + parts[1] + "." + strings.Split(suspended.jwt, ".")[2]

	everyCheck := []string{"Signature", "Issuer", "Revocation and suspension", "Period of validity", "Recorded in the ledger"}
	for _, tt := range []struct {
		name, method, path string
		form               string
		status             int
		want               []string
	}{
		{"valid", "GET", "/verify/" + valid.id, "", 200,
			[]string{`class="result valid"`, ">Valid<", "Zofia Quellenberg", "Kita Sonnenblume", "Outdoor learning", "Partially achieved", "EQF level"}},
		{"revoked", "GET", "/verify/" + revoked.id, "", 200, []string{`class="result invalid"`, ">Revoked<", "Revoked on"}},
		{"suspended", "GET", "/verify/" + suspended.id, "", 200, []string{`class="result warning"`, ">Suspended<", "not passed"}},
		{"unknown", "GET", "/verify/cred-nope-1", "", 404, []string{`class="result invalid"`, ">Not found<", `<form method="post"`}},
		{"pasted valid", "POST", "/verify", valid.jwt, 200, append([]string{`class="result valid"`, "Zofia Quellenberg", "/verify/" + valid.id}, everyCheck...)},
		{"pasted forged", "POST", "/verify", forged, 200, []string{`class="result invalid"`, ">Not valid<", "Signature: <span>not passed"}},
		{"pasted with a swapped signature", "POST", "/verify", swapped, 200, []string{`class="result invalid"`, "Signature: <span>not passed"}},
		{"pasted revoked", "POST", "/verify", revoked.jwt, 200, []string{`class="result invalid"`, ">Revoked<"}},
		{"pasted garbage", "POST", "/verify", "hello", 400, []string{">Not a credential<"}},
		{"the bare form", "GET", "/verify", "", 200, []string{`<label for="credential">`, `name="credential"`}},
	} {
		page := fetchPage(t, l, tt.method, tt.path, tt.form)
		if page.status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, page.status, tt.status)
		}
		html := string(page.body)
		for _, want := range append(tt.want, `<html lang="en">`, `name="viewport"`, "@media print") {
			if !strings.Contains(html, want) {
				t.Errorf("%s: the page lacks %q", tt.name, want)
			}
		}
		if ct := page.header.Get("Content-Type"); ct != "text/html; charset=utf-8" || page.header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: Content-Type %q, CSP %q", tt.name, ct, page.header.Get("Content-Security-Policy"))
		}
		if strings.Contains(html, "<script") {
			t.Errorf("%s: the page runs a script", tt.name)
		}
	}
	if html := string(fetchPage(t, l, "POST", "/verify", forged).body); strings.Contains(html, "Zofia") {
		t.Error("the page repeats what a credential with a bad signature claims")
	}
}

// fetchPage requests a verification page; form, if set, is posted as the
// pasted credential.
func fetchPage(t *testing.T, l *testLedger, method, path, form string) response {
	t.Helper()
	var body io.Reader
	if form != "" {
		body = strings.NewReader(url.Values{"credential": {form}}.Encode())
	}
	req, err := http.NewRequest(method, l.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: raw}
}

// TestCredentialHostileInput sends bad requests to the credential routes:
// each must get a 4xx problem and leave the log as it was.
func TestCredentialHostileInput(t *testing.T) {
	t.Parallel()
	l := start(t, "postgres")
	w := seedCredentials(l)
	c := issue(l, w.issuer, w.mobility)
	staff := l.token(w.participant, "staff", "")
	cases := []struct {
		name, method, path, token string
		body                      any
		want                      int
		headers                   []string
	}{
		{"issue without a token", "POST", "/v1/mobilities/" + w.mobility + "/credentials", "", nil, 401, nil},
		{"issue as staff", "POST", "/v1/mobilities/" + w.mobility + "/credentials", staff, nil, 403, nil},
		{"issue with a body", "POST", "/v1/mobilities/" + w.mobility + "/credentials", w.issuer, `{"holder":"someone else"}`, 400, nil},
		{"issue for a bad mobility ID", "POST", "/v1/mobilities/mob%20x/credentials", w.issuer, nil, 400, nil},
		{"issue for an unknown mobility", "POST", "/v1/mobilities/mob_nope/credentials", w.issuer, nil, 404, nil},
		{"issue for a planned mobility", "POST", "/v1/mobilities/" + plannedMobility(l, w.world) + "/credentials", w.issuer, nil, 409, nil},
		{"revoke without a reason", "POST", "/v1/credentials/" + c.id + "/revocation", w.issuer, map[string]any{}, 400, nil},
		{"revoke with a reason too long", "POST", "/v1/credentials/" + c.id + "/revocation", w.issuer, map[string]any{"reason": strings.Repeat("x", 501)}, 400, nil},
		{"revoke with a stale If-Match", "POST", "/v1/credentials/" + c.id + "/revocation", w.issuer, map[string]any{"reason": "x"}, 409, []string{"If-Match", `"7"`}},
		{"revoke an unknown credential", "POST", "/v1/credentials/cred-nope-1/revocation", w.issuer, map[string]any{"reason": "x"}, 404, nil},
		{"suspend as another organisation", "POST", "/v1/credentials/" + c.id + "/suspension", w.otherIssuer, map[string]any{"reason": "x"}, 403, nil},
		{"create a key with a body", "POST", "/v1/organisations/" + w.oid + "/keys", w.admin, `{"private_key":"mine"}`, 400, nil},
		{"create a key for a bad OID", "POST", "/v1/organisations/X1/keys", w.admin, nil, 400, nil},
		{"revoke a key as another organisation", "POST", "/v1/keys/" + w.keyID + "/revocation", w.otherIssuer, map[string]any{"reason": "x"}, 403, nil},
		{"revoke an unknown key", "POST", "/v1/keys/key_nope/revocation", w.admin, map[string]any{"reason": "x"}, 404, nil},
		{"a key with a bad ID", "GET", "/v1/keys/a%20b", "", nil, 404, nil},
		{"a status list with a bad ID", "GET", "/v1/status-lists/a%20b", "", nil, 404, nil},
		{"verification of a bad ID", "GET", "/v1/credentials/a%20b/verification", "", nil, 404, nil},
		{"verify an empty body", "POST", "/v1/verifications", "", "", 400, nil},
		{"verify a huge body", "POST", "/v1/verifications", "", strings.Repeat("a", 2<<20), 400, []string{"Content-Type", "application/jwt"}},
		{"verify at a bad time", "POST", "/v1/verifications", "", map[string]any{"credential": c.jwt, "at": "yesterday"}, 400, nil},
		{"verify with unknown fields", "POST", "/v1/verifications", "", map[string]any{"credential": c.jwt, "trust": true}, 400, nil},
	}
	size := l.size()
	for _, tc := range cases {
		r := l.do(tc.method, tc.path, tc.token, tc.body, tc.headers...)
		if r.status != tc.want || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s, want a %d problem: %.200s", tc.name, r.status, r.header.Get("Content-Type"), tc.want, r.body)
		}
	}
	if l.size() != size {
		t.Errorf("refused requests grew the log from %d to %d events", size, l.size())
	}
	keys := l.do("GET", "/.well-known/jwks.json", "", nil)
	var set struct{ Keys []any }
	if err := json.Unmarshal(keys.body, &set); err != nil || len(set.Keys) != 1 {
		t.Errorf("refused key creations published keys: %s", keys.body)
	}
}

// plannedMobility records a mobility of the world's participant that is not
// completed.
func plannedMobility(l *testLedger, w world) string {
	l.t.Helper()
	return l.must(201, "POST", "/v1/mobilities", w.issuer, agreement(w.participant))["id"].(string)
}

// TestVerificationFollowsStatusChanges verifies a credential by ID, as
// presented, on its page and through its status lists, so that whatever the
// ledger caches holds it, then changes its status: every verification made
// once the change has been answered must show it, on both backends.
func TestVerificationFollowsStatusChanges(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l := start(t, backend)
			w := seedCredentials(l)
			c := issue(l, w.issuer, w.mobility)
			checkEverywhere(l, c, "active")
			for _, step := range []struct{ path, status string }{
				{"suspension", "suspended"}, {"reinstatement", "active"}, {"suspension", "suspended"},
				{"reinstatement", "active"}, {"revocation", "revoked"},
			} {
				l.must(200, "POST", "/v1/credentials/"+c.id+"/"+step.path, w.issuer, map[string]any{"reason": step.path})
				checkEverywhere(l, c, step.status)
			}
			l.must(202, "POST", "/v1/participants/"+w.participant+"/erasure", w.issuer, nil)
			rec := l.must(200, "GET", "/v1/credentials/"+c.id+"/verification", "", nil)
			if h := rec["holder"].(map[string]any); h["erased"] != true || h["name"] == "Zofia Quellenberg" {
				t.Fatalf("holder after erasure: %v", h)
			}
		})
	}
}

// checkEverywhere checks that credential c has status (active, suspended or
// revoked) by ID, on its page, as presented and in its status lists.
func checkEverywhere(l *testLedger, c issued, status string) {
	l.t.Helper()
	rec := l.must(200, "GET", "/v1/credentials/"+c.id+"/verification", "", nil)
	if rec["status"] != status || rec["valid"] != (status == "active") {
		l.t.Fatalf("verification by ID: status %v, valid %v; want %s", rec["status"], rec["valid"], status)
	}
	if page := fetchPage(l.t, l, "GET", "/verify/"+c.id, ""); !strings.Contains(string(page.body), map[string]string{
		"active": "Valid", "suspended": "Suspended", "revoked": "Revoked"}[status]) {
		l.t.Fatalf("page of a %s credential: %s", status, page.body)
	}
	if status == "active" {
		checkResult(l.t, verify(l, c.jwt), true, status)
	} else {
		checkResult(l.t, verify(l, c.jwt), false, status, "status")
	}
	for purpose, want := range map[string]string{"revocation": "revoked", "suspension": "suspended"} {
		list, index := statusEntry(l.t, c.jwt, purpose)
		if got := statusBit(l, list, index, ""); got != (status == want) {
			l.t.Fatalf("%s bit of a %s credential: %v", purpose, status, got)
		}
	}
}
