package httpapi

import (
	"bytes"
	"context"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/transcripts"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// Transcripts is what the transcript endpoints need; *transcripts.Service is
// one.
type Transcripts interface {
	Transcript(ctx context.Context, id string, asOf *time.Time) (transcript.Transcript, error)
	Participant(ctx context.Context, id string) (participant.Participant, error)
	CreateShare(ctx context.Context, id string, ttl time.Duration) (transcripts.Share, error)
	Shares(ctx context.Context, id string) ([]transcripts.Share, error)
	RevokeShare(ctx context.Context, id, shareID string) error
	Resolve(ctx context.Context, token string) (string, error)
}

// MountTranscripts returns the Config.Mount hook that serves transcripts
// (CONTRACT.md, Transcripts) from svc.
func MountTranscripts(svc Transcripts) func(a *API, mux *http.ServeMux) {
	return func(a *API, mux *http.ServeMux) {
		t := &transcriptRoutes{a: a, svc: svc}
		mux.HandleFunc("GET /v1/me/transcript", t.authenticated(t.mine))
		mux.HandleFunc("GET /v1/participants/{id}/transcript", t.authenticated(t.participants))
		mux.HandleFunc("GET /v1/shares/{token}", t.shared)
		mux.HandleFunc("POST /v1/me/transcript/shares", a.command(t.createShare))
		mux.HandleFunc("GET /v1/me/transcript/shares", a.query(t.listShares))
		mux.HandleFunc("DELETE /v1/me/transcript/shares/{id}", t.revokeShare)
	}
}

type transcriptRoutes struct {
	a   *API
	svc Transcripts
}

// authenticated serves a transcript to the caller named by the token, in the
// representation the request accepts.
func (t *transcriptRoutes) authenticated(fn func(r *http.Request, by domain.Actor) (transcript.Transcript, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		by, err := t.a.Authenticate(r)
		if err == nil {
			var tr transcript.Transcript
			if tr, err = fn(r, by); err == nil {
				t.render(w, r, tr)
				return
			}
		}
		t.a.Fail(w, r, err)
	}
}

// mine is the caller's own transcript; only staff have one.
func (t *transcriptRoutes) mine(r *http.Request, by domain.Actor) (transcript.Transcript, error) {
	if !by.Has(domain.RoleStaff) {
		return transcript.Transcript{}, domain.Forbiddenf("only staff have a transcript of their own; use /v1/participants/{id}/transcript")
	}
	return t.transcript(r, by, by.Subject)
}

func (t *transcriptRoutes) participants(r *http.Request, by domain.Actor) (transcript.Transcript, error) {
	return t.transcript(r, by, r.PathValue("id"))
}

// transcript returns participant id's transcript, as of the time the query
// names, if by may read it: the participant, issuers of their organisation,
// auditors and admins may.
func (t *transcriptRoutes) transcript(r *http.Request, by domain.Actor, id string) (transcript.Transcript, error) {
	asOf, err := asOfParam(r)
	if err != nil {
		return transcript.Transcript{}, err
	}
	if err := domain.ValidText("id", id, 100, true); err != nil {
		return transcript.Transcript{}, err
	}
	p, err := t.svc.Participant(r.Context(), id)
	if err != nil {
		return transcript.Transcript{}, err
	}
	if err := mayRead(by, p); err != nil {
		return transcript.Transcript{}, err
	}
	return t.svc.Transcript(r.Context(), id, asOf)
}

// asOfParam reads the optional as_of query parameter, an RFC 3339 time.
func asOfParam(r *http.Request) (*time.Time, error) {
	s := r.URL.Query().Get("as_of")
	if s == "" {
		return nil, nil
	}
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, domain.Invalidf("as_of %q is not an RFC 3339 time such as 2025-03-14T09:30:00Z", s)
	}
	at = at.UTC()
	return &at, nil
}

// shared serves the transcript a share link shows, to anyone holding it.
func (t *transcriptRoutes) shared(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	id, err := t.svc.Resolve(r.Context(), r.PathValue("token"))
	if err == nil {
		var tr transcript.Transcript
		if tr, err = t.svc.Transcript(r.Context(), id, nil); err == nil {
			t.render(w, r, tr)
			return
		}
	}
	t.a.Fail(w, r, err)
}

// shareBody asks for a share lasting ExpiresIn seconds (default 7 days).
type shareBody struct {
	ExpiresIn int64 `json:"expires_in"`
}

func (t *transcriptRoutes) createShare(r *Request) (Response, error) {
	if !r.By.Has(domain.RoleStaff) {
		return Response{}, domain.Forbiddenf("only staff share their own transcript")
	}
	in := shareBody{ExpiresIn: int64(transcripts.DefaultShareTTL / time.Second)}
	if len(bytes.TrimSpace(r.Body)) > 0 {
		if err := Decode(r, &in); err != nil {
			return Response{}, err
		}
	}
	if _, err := t.svc.Participant(r.Context(), r.By.Subject); err != nil {
		return Response{}, err
	}
	sh, err := t.svc.CreateShare(r.Context(), r.By.Subject, time.Duration(in.ExpiresIn)*time.Second)
	if err != nil {
		return Response{}, err
	}
	return Response{Status: http.StatusCreated, Body: sh}, nil
}

func (t *transcriptRoutes) listShares(r *http.Request, by domain.Actor) (Response, error) {
	if !by.Has(domain.RoleStaff) {
		return Response{}, domain.Forbiddenf("only staff have shares of their own transcript")
	}
	shares, err := t.svc.Shares(r.Context(), by.Subject)
	if err != nil {
		return Response{}, err
	}
	return Response{Status: http.StatusOK, Body: map[string]any{"shares": shares}}, nil
}

func (t *transcriptRoutes) revokeShare(w http.ResponseWriter, r *http.Request) {
	by, err := t.a.Authenticate(r)
	if err == nil && !by.Has(domain.RoleStaff) {
		err = domain.Forbiddenf("only staff revoke shares of their own transcript")
	}
	if err == nil {
		err = t.svc.RevokeShare(r.Context(), by.Subject, r.PathValue("id"))
	}
	if err != nil {
		t.a.Fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// render writes tr as JSON, or as the printable page when the request
// prefers HTML.
func (t *transcriptRoutes) render(w http.ResponseWriter, r *http.Request, tr transcript.Transcript) {
	w.Header().Add("Vary", "Accept")
	if !prefersHTML(r.Header.Get("Accept")) {
		writeJSON(w, http.StatusOK, tr)
		return
	}
	page, err := renderTranscript(tr, time.Now())
	if err != nil {
		t.a.Fail(w, r, err)
		return
	}
	writeRaw(w, http.StatusOK, "text/html; charset=utf-8", page)
}

// prefersHTML reports whether an Accept header names text/html before any
// JSON type.
func prefersHTML(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		switch {
		case err != nil:
			continue
		case mt == "text/html" || mt == "application/xhtml+xml":
			return true
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			return false
		}
	}
	return false
}

//go:embed templates/transcript*.html
var transcriptTemplates embed.FS

// transcriptPage is the printable Europass-style transcript.
var transcriptPage = template.Must(template.New("transcript.html").Funcs(template.FuncMap{
	"qr":    qrDataURI,
	"label": label,
	"date":  func(t time.Time) string { return t.UTC().Format("2 January 2006") },
	"add1":  func(i int) int { return i + 1 },
}).ParseFS(transcriptTemplates, "templates/transcript*.html"))

// renderTranscript renders tr as the printable page, stamped with now.
func renderTranscript(tr transcript.Transcript, now time.Time) ([]byte, error) {
	var buf bytes.Buffer
	err := transcriptPage.Execute(&buf, map[string]any{"T": tr, "Printed": now.UTC()})
	return buf.Bytes(), err
}

// qrDataURI is a PNG QR code of url, as a data URI for an img element.
func qrDataURI(url string) (template.URL, error) {
	png, err := qrcode.Encode(url, qrcode.Medium, 240)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// label turns a stored code such as "job_shadowing" into words.
func label(code any) string {
	s := strings.ReplaceAll(fmt.Sprint(code), "_", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
