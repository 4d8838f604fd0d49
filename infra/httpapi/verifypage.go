package httpapi

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/credentials"
)

//go:embed templates/verify*.html
var verifyTemplates embed.FS

// verifyPageTemplate renders every verification page: a result (or none, for
// the bare form) and the form to paste a credential.
var verifyPageTemplate = template.Must(template.New("verify.html").Funcs(template.FuncMap{
	"checkName": checkName,
	"result":    credentials.ResultLabel,
	"when":      func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") },
	"date":      func(d domain.Date) string { return d.Time().Format("2 January 2006") },
}).ParseFS(verifyTemplates, "templates/verify*.html"))

// verifyCSP allows the page its own inline style and form, and nothing else:
// the page runs no script.
const verifyCSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// verdict is a verification's result in plain language: its tone (valid,
// warning or invalid: green, amber or red), a headline and a sentence.
type verdict struct {
	Tone, Headline, Explanation string
}

// The verdicts a page may show.
var (
	verdictValid     = verdict{"valid", "Valid", "This credential is genuine, it was recorded in the ledger, and its issuer has neither revoked nor suspended it."}
	verdictRevoked   = verdict{"invalid", "Revoked", "The organisation that issued this credential has withdrawn it. It is no longer valid."}
	verdictSuspended = verdict{"warning", "Suspended", "The organisation that issued this credential has put it on hold. It is not valid while suspended; ask its holder or its issuer."}
	verdictExpired   = verdict{"warning", "Expired", "This credential was issued by the ledger, but its period of validity has ended."}
	verdictUnknown   = verdict{"warning", "Could not be fully checked", "Whether this credential was revoked or suspended could not be determined just now, so it cannot be confirmed as valid. Please try again later."}
	verdictForged    = verdict{"invalid", "Not valid", "This credential could not be confirmed as genuine: it may have been altered, or it was not issued through the ledger. Do not rely on it."}
	verdictNotFound  = verdict{"invalid", "Not found", "The ledger has no credential with this reference. Check the link, or paste the credential you were given below."}
	verdictNotJWT    = verdict{"invalid", "Not a credential", "What was pasted is not a credential in the expected form: a compact VC-JWT, three parts separated by dots."}
)

// verifyPageData is what a verification page shows. Verdict is nil for the
// bare form; the details are those of a credential found in the ledger or
// presented with a valid signature.
type verifyPageData struct {
	Verdict     *verdict
	Checks      []credentials.Check
	Credential  string
	Holder      *credentials.HolderName
	Issuer      credentials.Issuer
	Achievement *credentials.AchievementSummary
	IssuedAt    *time.Time
	RevokedAt   *time.Time
	LogIndex    *uint64
	ID          string
	At          time.Time
	LedgerPage  string
	Presented   bool
	FormAction  string
}

// verifyForm serves the bare form to paste a credential.
func (c *Credentials) verifyForm(a *API) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		renderVerifyPage(a, w, r, http.StatusOK, verifyPageData{FormAction: "verify"})
	}
}

// verifyPage serves the page for the credential the path names, as the
// ledger records it.
func (c *Credentials) verifyPage(a *API) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec, err := c.Service.Lookup(r.Context(), r.PathValue("id"))
		if errors.Is(err, domain.ErrNotFound) {
			c.count(outcomeNotFound)
			renderVerifyPage(a, w, r, http.StatusNotFound, verifyPageData{Verdict: &verdictNotFound, FormAction: "../verify"})
			return
		}
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		c.count(verificationOutcome(rec.Valid, rec.Status, rec.Checks))
		renderVerifyPage(a, w, r, http.StatusOK, recordPage(rec))
	}
}

func recordPage(rec credentials.Record) verifyPageData {
	d := verifyPageData{Verdict: recordVerdict(rec), Checks: rec.Checks, Credential: "Erasmus+ mobility: " + rec.Achievement.Name,
		Holder: &rec.Holder, Issuer: rec.Issuer, IssuedAt: &rec.IssuedAt, RevokedAt: rec.RevokedAt, LogIndex: &rec.Log.Index,
		ID: rec.ID, At: rec.At, FormAction: "../verify"}
	if rec.Achievement.Name != "" {
		d.Achievement = &rec.Achievement
	}
	return d
}

func recordVerdict(rec credentials.Record) *verdict {
	switch {
	case rec.Valid:
		return &verdictValid
	case rec.Status == credential.StatusRevoked:
		return &verdictRevoked
	case rec.Status == credential.StatusSuspended:
		return &verdictSuspended
	case rec.Status == credential.StatusExpired:
		return &verdictExpired
	}
	return &verdictForged
}

// verifyPastedPage verifies the credential pasted into the form.
func (c *Credentials) verifyPastedPage(a *API) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			a.Fail(w, r, domain.Invalidf("the form could not be read"))
			return
		}
		body, err := c.verify(r, r.PostForm.Get("credential"), time.Time{})
		if err != nil {
			renderVerifyPage(a, w, r, http.StatusBadRequest, verifyPageData{Verdict: &verdictNotJWT, Presented: true, FormAction: "verify"})
			return
		}
		renderVerifyPage(a, w, r, http.StatusOK, presentedPage(body))
	}
}

func presentedPage(b presentedBody) verifyPageData {
	v := b.Verification
	d := verifyPageData{Verdict: presentedVerdict(v), Checks: v.Checks, Issuer: v.Issuer, At: v.At, Presented: true, FormAction: "verify"}
	if cl := b.Credential; cl != nil {
		d.Credential, d.Holder, d.Achievement = cl.Name, &cl.Holder, &cl.Achievement
		d.LedgerPage = b.VerifyURL
	}
	return d
}

// presentedVerdict is the verdict on a presented credential: a failed
// signature, issuer or ledger check means it cannot be trusted at all; then
// its status decides.
func presentedVerdict(v credentials.Verification) *verdict {
	if v.Valid {
		return &verdictValid
	}
	for _, name := range []string{credentials.CheckSignature, credentials.CheckIssuer, credentials.CheckLedger} {
		if ch, _ := v.Check(name); !ch.OK {
			return &verdictForged
		}
	}
	switch v.Status {
	case credential.StatusRevoked:
		return &verdictRevoked
	case credential.StatusSuspended:
		return &verdictSuspended
	case credential.StatusExpired:
		return &verdictExpired
	case credentials.StatusUnknown:
		return &verdictUnknown
	}
	return &verdictForged
}

// renderVerifyPage writes a verification page with status.
func renderVerifyPage(a *API, w http.ResponseWriter, r *http.Request, status int, d verifyPageData) {
	var buf bytes.Buffer
	if err := verifyPageTemplate.Execute(&buf, d); err != nil {
		a.Fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", verifyCSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// checkName is how a check reads for people.
func checkName(name string) string {
	switch name {
	case credentials.CheckSignature:
		return "Signature"
	case credentials.CheckIssuer:
		return "Issuer"
	case credentials.CheckStatus:
		return "Revocation and suspension"
	case credentials.CheckExpiry:
		return "Period of validity"
	case credentials.CheckLedger:
		return "Recorded in the ledger"
	}
	return name
}
