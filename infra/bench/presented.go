package bench

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/golang-jwt/jwt/v5"

	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/credentials"
)

// presentedCredentials is how many credentials the presented-verification
// scenario issues through the API and then presents in turn.
const presentedCredentials = 50

// runVerifyPresented measures POST /v1/verifications with valid credentials
// issued by the served ledger, beside a bare handler that checks each
// credential's ES256 signature and answers with a body of the same size.
func runVerifyPresented(ctx context.Context, e *Env) (Result, error) {
	s, err := e.servedLedger(ctx)
	if err != nil {
		return Result{}, err
	}
	tokens, err := fixture(e, "presented", func() ([]string, error) { return s.issue(ctx, e) })
	if err != nil {
		return Result{}, err
	}
	sample, err := s.verifyPresented(ctx, tokens[0])
	if err != nil {
		return Result{}, err
	}
	keys, err := s.publicKeys(ctx)
	if err != nil {
		return Result{}, err
	}
	bare, err := e.startBare(signatureChecker(keys, sample))
	if err != nil {
		return Result{}, err
	}
	var subject, baseline []request
	for i := range e.Sizes.Requests {
		tok := []byte(tokens[i%len(tokens)])
		subject = append(subject, request{method: http.MethodPost, url: s.p.url() + "/v1/verifications", contentType: "application/vc+jwt", body: tok})
		baseline = append(baseline, request{method: http.MethodPost, url: bare.url + "/v1/verifications", contentType: "application/vc+jwt", body: tok})
	}
	sm, bm, err := alternateHTTP(ctx, e, subject, baseline)
	s.loads["verify-presented"] = err == nil
	name := fmt.Sprintf("a bare net/http handler in this process checking each credential's ES256 signature (golang-jwt) and answering with the same %d-byte body", len(sample.body))
	return rateResult("requests/s", sm, bm, name), err
}

// verifyPresented presents token once and checks that the ledger finds it
// valid.
func (s *servedLedger) verifyPresented(ctx context.Context, token string) (answer, error) {
	a, err := s.do(ctx, http.MethodPost, "/v1/verifications", "", "application/vc+jwt", []byte(token))
	switch {
	case err != nil:
		return a, err
	case a.unrouted():
		return a, missing("the ledger has no route POST /v1/verifications")
	case a.status != http.StatusOK:
		return a, fmt.Errorf("POST /v1/verifications: status %d: %.300s", a.status, a.body)
	}
	var v struct{ Valid bool }
	if err := json.Unmarshal(a.body, &v); err != nil || !v.Valid {
		return a, fmt.Errorf("POST /v1/verifications finds a freshly issued credential invalid: %.500s", a.body)
	}
	return a, nil
}

// issue issues credentials for completed mobilities of the large ledger,
// through the API: a new signing key for each sending organisation, then one
// credential per mobility. It returns the compact VC-JWTs.
func (s *servedLedger) issue(ctx context.Context, e *Env) ([]string, error) {
	picked := s.l.facts.uncredited[:min(presentedCredentials, len(s.l.facts.uncredited))]
	if len(picked) == 0 {
		return nil, fmt.Errorf("the large ledger of %d events has no completed mobility without a credential", s.l.size)
	}
	issuers, err := s.issuers(ctx, e, picked)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range picked {
		var issued struct{ JWT string }
		if err := s.post(ctx, "/v1/mobilities/"+m.id+"/credentials", issuers[m.org], struct{}{}, &issued, http.StatusCreated); err != nil {
			return nil, err
		}
		out = append(out, issued.JWT)
	}
	return out, nil
}

// issuers gives each sending organisation of mobilities a new signing key,
// and returns an issuer token for each.
func (s *servedLedger) issuers(ctx context.Context, e *Env, mobilities []uncreditedMobility) (map[string]string, error) {
	admin, err := s.p.token(ctx, "admin", "")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, m := range mobilities {
		if _, ok := out[m.org]; ok {
			continue
		}
		if err := s.post(ctx, "/v1/organisations/"+m.org+"/keys", admin, struct{}{}, &struct{}{}, http.StatusCreated); err != nil {
			return nil, err
		}
		if out[m.org], err = s.p.token(ctx, "issuer", m.org); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// publicKeys fetches the ledger's published signing keys, by kid.
func (s *servedLedger) publicKeys(ctx context.Context) (map[string]*ecdsa.PublicKey, error) {
	a, err := s.do(ctx, http.MethodGet, "/.well-known/jwks.json", "", "", nil)
	if err != nil || a.status != http.StatusOK {
		return nil, fmt.Errorf("GET /.well-known/jwks.json: %d %v", a.status, err)
	}
	var set credentials.JWKSet
	if err := json.Unmarshal(a.body, &set); err != nil {
		return nil, fmt.Errorf("GET /.well-known/jwks.json: %w", err)
	}
	out := map[string]*ecdsa.PublicKey{}
	for _, k := range set.Keys {
		pub, err := credentials.PublicKey(credential.JWK{Kty: k.Kty, Crv: k.Crv, X: k.X, Y: k.Y})
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", k.Kid, err)
		}
		out[k.Kid] = pub
	}
	return out, nil
}

// signatureChecker is the baseline handler: it checks the ES256 signature
// of the posted JWT with the key its header names, and answers with the
// sample's body, or 400 if the signature does not hold.
func signatureChecker(keys map[string]*ecdsa.PublicKey, sample answer) http.Handler {
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"ES256"}))
	keyOf := func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if k, ok := keys[kid]; ok {
			return k, nil
		}
		return nil, fmt.Errorf("unknown key %q", kid)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			_, err = parser.Parse(string(bytes.TrimSpace(body)), keyOf)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fixedAnswer(sample).ServeHTTP(w, r)
	})
}
