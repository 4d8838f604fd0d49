package app_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// TestHostileInputGetsProblemAndRecordsNothing sends malformed, oversized,
// mistyped, unauthenticated and unauthorised requests: each must get a 4xx
// problem+json and leave the log as it was.
func TestHostileInputGetsProblemAndRecordsNothing(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l := start(t, backend)
			w := seed(l)
			mob := "/v1/mobilities/" + w.mobility
			huge := `{"reason":"` + strings.Repeat("a", 2<<20) + `"}`
			badDates := agreement(w.participant)
			badDates["end_date"] = "2025-02-30"
			reversed := agreement(w.participant)
			reversed["start_date"], reversed["end_date"] = "2025-03-19", "2025-03-10"
			tooLong := agreement(w.participant)
			tooLong["end_date"] = "2025-06-30"
			unknownOutcome := completion(w)
			unknownOutcome["outcomes"] = []map[string]any{{"outcome_id": "out_nope", "result": "achieved"}}
			forged := forgedToken(t, l.url)
			cases := []struct {
				name, method, path, token string
				body                      any
				want                      int
				headers                   []string
			}{
				{"malformed JSON", "POST", "/v1/organisations", w.admin, `{"oid": "E12345678",`, 400, nil},
				{"not an object", "POST", "/v1/organisations", w.admin, `[1,2,3]`, 400, nil},
				{"two values", "POST", "/v1/organisations", w.admin, `{"oid":"E12345678","name":"A","country":"DE"} {}`, 400, nil},
				{"wrong type", "POST", "/v1/organisations", w.admin, `{"oid": 12345678, "name": "A", "country": "DE"}`, 400, nil},
				{"unknown field", "POST", "/v1/organisations", w.admin, `{"oid":"E12345678","name":"A","country":"DE","evil":true}`, 400, nil},
				{"empty body", "POST", "/v1/organisations", w.admin, ``, 400, nil},
				{"bad OID", "POST", "/v1/organisations", w.admin, map[string]any{"oid": "X1234", "name": "A", "country": "DE"}, 400, nil},
				{"bad country", "POST", "/v1/organisations", w.admin, map[string]any{"oid": "E12345678", "name": "A", "country": "ZZ"}, 400, nil},
				{"bad accreditation", "POST", "/v1/organisations", w.admin, map[string]any{"oid": "E12345678", "name": "A", "country": "DE", "accreditation": "2021-1-DE02-KA121-SCH-000012345"}, 400, nil},
				{"duplicate OID", "POST", "/v1/organisations", w.admin, map[string]any{"oid": w.oid, "name": "A", "country": "DE"}, 409, nil},
				{"huge body", "POST", mob + "/cancellation", w.issuer, huge, 400, nil},
				{"impossible date", "POST", "/v1/mobilities", w.issuer, badDates, 400, nil},
				{"dates reversed", "POST", "/v1/mobilities", w.issuer, reversed, 400, nil},
				{"shadowing too long", "POST", "/v1/mobilities", w.issuer, tooLong, 400, nil},
				{"unplanned outcome", "POST", mob + "/completion", w.issuer, unknownOutcome, 400, nil},
				{"unknown participant", "POST", "/v1/mobilities", w.issuer, agreement("par_nobody"), 404, nil},
				{"unknown mobility", "POST", "/v1/mobilities/mob_nope/cancellation", w.issuer, map[string]any{"reason": "x"}, 404, nil},
				{"bad If-Match", "POST", mob + "/cancellation", w.issuer, map[string]any{"reason": "x"}, 400, []string{"If-Match", "yesterday"}},
				{"wrong content type", "POST", mob + "/cancellation", w.issuer, map[string]any{"reason": "x"}, 400, []string{"Content-Type", "text/plain"}},
				{"no token", "POST", mob + "/cancellation", "", map[string]any{"reason": "x"}, 401, nil},
				{"garbage token", "POST", mob + "/cancellation", "not.a.jwt", map[string]any{"reason": "x"}, 401, nil},
				{"forged token", "POST", mob + "/cancellation", forged, map[string]any{"reason": "x"}, 401, nil},
				{"alg none token", "POST", mob + "/cancellation", noneToken(t, l.url), map[string]any{"reason": "x"}, 401, nil},
				{"basic auth", "POST", mob + "/cancellation", "", map[string]any{"reason": "x"}, 401, []string{"Authorization", "Basic YTpi"}},
				{"another organisation's issuer", "POST", mob + "/cancellation", w.otherIssuer, map[string]any{"reason": "x"}, 403, nil},
				{"another organisation's enrolment", "POST", "/v1/participants", w.issuer, map[string]any{"org": w.otherOID, "given_name": "A", "family_name": "B", "role": "teacher"}, 403, nil},
				{"staff cannot register", "POST", "/v1/organisations", l.token(w.participant, "staff", ""), map[string]any{"oid": "E12345678", "name": "A", "country": "DE"}, 403, nil},
				{"issuer cannot register", "POST", "/v1/organisations", w.issuer, map[string]any{"oid": "E12345678", "name": "A", "country": "DE"}, 403, nil},
				{"unknown route", "GET", "/v1/nothing-here", w.admin, nil, 404, nil},
				{"wrong method", "DELETE", mob, w.admin, nil, 405, nil},
			}
			size := l.size()
			for _, c := range cases {
				r := l.do(c.method, c.path, c.token, c.body, c.headers...)
				if r.status != c.want {
					t.Errorf("%s: got %d, want %d: %.300s", c.name, r.status, c.want, r.body)
					continue
				}
				var p struct {
					Type, Title string
					Status      int
				}
				if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("%s: content type %q", c.name, ct)
				} else if err := json.Unmarshal(r.body, &p); err != nil || p.Status != c.want || p.Type == "" || p.Title == "" {
					t.Errorf("%s: not a problem: %s", c.name, r.body)
				}
			}
			if l.size() != size {
				t.Fatalf("hostile requests recorded %d events", l.size()-size)
			}
		})
	}
}

// forgedToken is a well-formed token with the right claims signed by a key the
// ledger does not know, under the ledger's own kid.
func forgedToken(t *testing.T, issuer string) string {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims{"iss": issuer, "aud": "recognition-ledger", "sub": "admin",
		"exp": time.Now().Add(time.Hour).Unix(), "roles": []string{"admin"}})
	s, err := tok.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// noneToken is an unsigned token claiming to be an admin.
func noneToken(t *testing.T, issuer string) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"iss": issuer, "aud": "recognition-ledger", "sub": "admin",
		"exp": time.Now().Add(time.Hour).Unix(), "roles": []string{"admin"}})
	s, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
