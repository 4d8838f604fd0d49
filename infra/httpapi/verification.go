package httpapi

import (
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/credentials"
)

// NewVerificationsCounter returns ledger_verifications_total, registered on
// reg: verifications by outcome (see verificationOutcome).
func NewVerificationsCounter(reg prometheus.Registerer) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ledger_verifications_total",
		Help: "Credential verifications by outcome: valid, revoked, suspended, expired, failed_<check>, not_found or not_a_jwt.",
	}, []string{"outcome"})
	reg.MustRegister(c)
	return c
}

// The outcomes of verifications that end before any check.
const (
	outcomeNotFound = "not_found"
	outcomeNotJWT   = "not_a_jwt"
)

// verificationOutcome is the outcome a verification is counted under: valid;
// else revoked, suspended or expired for a credential whose status alone
// fails; else failed_ and the first failing check.
func verificationOutcome(valid bool, status credential.Status, checks []credentials.Check) string {
	switch {
	case valid:
		return "valid"
	case status == credential.StatusRevoked || status == credential.StatusSuspended || status == credential.StatusExpired:
		return string(status)
	}
	for _, ch := range checks {
		if !ch.OK {
			return "failed_" + ch.Name
		}
	}
	return "failed"
}

func (c *Credentials) count(outcome string) {
	if c.Verifications != nil {
		c.Verifications.WithLabelValues(outcome).Inc()
	}
}

// getVerification answers what the ledger holds of a credential, by its ID.
// The log proof of a credential whose record is cached starts at once and
// runs beside the record's lookup; that of any other starts as soon as the
// lookup has read the index of its issuance, and runs beside the rest of it.
func (c *Credentials) getVerification(w http.ResponseWriter, r *http.Request) (any, error) {
	id := r.PathValue("id")
	early := c.startLogProof(r, id)
	rec, err := c.Service.LookupIssued(r.Context(), id, func(index uint64) {
		if early == nil {
			early = c.startProof(r, index)
		}
	})
	if err != nil {
		c.count(outcomeNotFound)
		return nil, err
	}
	c.count(verificationOutcome(rec.Valid, rec.Status, rec.Checks))
	log, err := c.logPosition(r, rec.Log.Index, early)
	if err != nil {
		return nil, err
	}
	w.Header().Set("Cache-Control", "no-cache")
	return credentialRecordBody{Record: rec, Log: log}, nil
}

// credentialRecordBody is a credential's record with its log member completed by
// LogProof.
type credentialRecordBody struct {
	credentials.Record
	Log map[string]any `json:"log"`
}

// earlyProof is a LogProof started before the record it belongs to was read;
// done closes once out and err are set.
type earlyProof struct {
	index uint64
	done  chan struct{}
	out   map[string]any
	err   error
}

// startLogProof starts the LogProof of credential id's issuance if its index
// is known without reading anything, or returns nil.
func (c *Credentials) startLogProof(r *http.Request, id string) *earlyProof {
	if c.LogProof == nil {
		return nil
	}
	index, ok := c.Service.IssuedIndex(id)
	if !ok {
		return nil
	}
	return c.startProof(r, index)
}

// startProof starts the LogProof of the issuance at log index, or returns
// nil if there is no LogProof.
func (c *Credentials) startProof(r *http.Request, index uint64) *earlyProof {
	if c.LogProof == nil {
		return nil
	}
	p := &earlyProof{index: index, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.out, p.err = c.LogProof(r.Context(), index)
	}()
	return p
}

// logPosition is the log member of a verification: the index of the issuing
// event and, once LogProof is set, the members of its proof, those of early
// if it proves the same index.
func (c *Credentials) logPosition(r *http.Request, index uint64, early *earlyProof) (map[string]any, error) {
	out := map[string]any{}
	if c.LogProof != nil {
		var err error
		if early != nil && early.index == index {
			<-early.done
			out, err = early.out, early.err
		} else {
			out, err = c.LogProof(r.Context(), index)
		}
		if err != nil {
			return nil, err
		}
	}
	out["index"] = index
	return out, nil
}

// presentedBody is the answer to a presented credential: the verification,
// what the credential says once its signature holds, and the ledger's page for
// it.
type presentedBody struct {
	credentials.Verification
	Credential *credentials.Claimed `json:"credential,omitempty"`
	VerifyURL  string               `json:"verify_url,omitempty"`
}

// verifyPresented verifies the credential in the body: a compact JWT
// (application/vc+jwt, application/jwt or text/plain, with an optional ?at=),
// or JSON {"credential": "<jwt>", "at": "<RFC 3339>"}.
func (c *Credentials) verifyPresented(w http.ResponseWriter, r *http.Request) (any, error) {
	token, at, err := readPresented(r)
	if err != nil {
		c.count(outcomeNotJWT)
		return nil, err
	}
	return c.verify(r, token, at)
}

// verify verifies token as of at (now, if zero).
func (c *Credentials) verify(r *http.Request, token string, at time.Time) (presentedBody, error) {
	e, err := c.presented.parse(token)
	if err != nil {
		c.count(outcomeNotJWT)
		return presentedBody{}, err
	}
	p := e.p
	ctx, _ := c.Service.Current(r.Context()) // on failure, each check reads on its own and says so
	v := c.Verifier.VerifyPresented(ctx, p, at)
	c.count(verificationOutcome(v.Valid, v.Status, v.Checks))
	body := presentedBody{Verification: v}
	if sig, _ := v.Check(credentials.CheckSignature); sig.OK {
		body.Credential = e.claims()
		if id, ok := c.Service.URLs().CredentialID(p.Claims.Jti); ok {
			body.VerifyURL = c.Service.URLs().Verify(id)
		}
	}
	return body, nil
}

// readPresented reads a presented credential and the time to verify it at.
func readPresented(r *http.Request) (string, time.Time, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return "", time.Time{}, bodyError(err)
	}
	mt := ""
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err = mime.ParseMediaType(ct); err != nil {
			return "", time.Time{}, domain.Invalidf("Content-Type %q is malformed", ct)
		}
	}
	switch {
	case mt == "application/json" || (mt == "" && strings.HasPrefix(strings.TrimSpace(string(body)), "{")):
		return readPresentedJSON(r, body)
	case mt == "" || mt == "application/vc+jwt" || mt == "application/jwt" || mt == "text/plain":
		at, err := parseAt(r.URL.Query().Get("at"))
		return string(body), at, err
	}
	return "", time.Time{}, domain.Invalidf("the body must be a compact JWT (application/vc+jwt or application/jwt) or JSON, not %s", mt)
}

func readPresentedJSON(r *http.Request, body []byte) (string, time.Time, error) {
	var in struct {
		Credential string `json:"credential"`
		At         string `json:"at"`
	}
	req := &Request{Request: r, Body: body}
	if err := Decode(req, &in); err != nil {
		return "", time.Time{}, err
	}
	if in.Credential == "" {
		return "", time.Time{}, domain.Invalidf("credential is required: the compact VC-JWT to verify")
	}
	at, err := parseAt(in.At)
	return in.Credential, at, err
}

// parseAt reads the optional time to verify at; "" is now, the zero time.
func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, domain.Invalidf("at must be an RFC 3339 time such as 2025-03-14T09:30:00Z, not %q", s)
	}
	return t.UTC(), nil
}

// maxPresented is how many presented credentials a presentedMemo remembers;
// past it, it starts again empty.
const maxPresented = 4096

// presentedMemo remembers presented credentials by their token: parsed, and
// what they say once asked. Parsing is a pure function of the token, decoding
// a whole Open Badges payload costs about as much as checking its signature,
// and verifiers present the same credentials again and again. Only decoding is
// remembered: every check still runs on every verification. Its zero value is
// ready to use.
type presentedMemo struct {
	mu      sync.Mutex
	entries map[string]*presentedEntry
}

// presentedEntry is one token, parsed, with what its payload says decoded on
// first use. It is shared: callers must not change it.
type presentedEntry struct {
	p       credentials.Presented
	once    sync.Once
	claimed *credentials.Claimed
}

// parse returns token parsed by credentials.ParsePresented. Tokens that fail
// to parse are not remembered.
func (m *presentedMemo) parse(token string) (*presentedEntry, error) {
	m.mu.Lock()
	e, ok := m.entries[token]
	m.mu.Unlock()
	if ok {
		return e, nil
	}
	p, err := credentials.ParsePresented(token)
	if err != nil {
		return nil, err
	}
	e = &presentedEntry{p: p}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil || len(m.entries) >= maxPresented {
		m.entries = map[string]*presentedEntry{}
	}
	m.entries[token] = e
	return e, nil
}

// claims returns what the token says, or nil if its payload does not have
// the shape of an Open Badges credential.
func (e *presentedEntry) claims() *credentials.Claimed {
	e.once.Do(func() {
		if claimed, ok := e.p.Claimed(); ok {
			e.claimed = &claimed
		}
	})
	return e.claimed
}
