package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/credentials"
)

// Credentials serves the credential routes of CONTRACT.md: issuers' signing
// keys and the JWK set, issuance and status changes, status lists, and
// verification, as JSON and as a page for people.
type Credentials struct {
	Service  *credentials.Service
	Verifier *credentials.Verifier
	// Verifications counts verifications by outcome; see
	// NewVerificationsCounter.
	Verifications *prometheus.CounterVec
	// LogProof, when set, returns what proves that the log holds the event
	// at index (an inclusion proof and the checkpoint it is proven against),
	// as the members that join index in a verification's log member; the map
	// is the caller's to change. While it is nil, verifications give the index alone.
	LogProof func(ctx context.Context, index uint64) (map[string]any, error)

	presented presentedMemo // presented credentials, parsed
}

// Mount registers the credential routes on mux.
func (c *Credentials) Mount(a *API, mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/organisations/{oid}/keys", a.command(c.createKey))
	mux.HandleFunc("POST /v1/keys/{id}/revocation", a.command(c.revokeKey))
	mux.HandleFunc("GET /v1/keys/{id}", public(a, "application/jwk+json", c.getKey))
	mux.HandleFunc("GET /.well-known/jwks.json", public(a, "application/jwk-set+json", c.getKeySet))
	mux.HandleFunc("POST /v1/mobilities/{id}/credentials", a.command(c.issue))
	mux.HandleFunc("POST /v1/credentials/{id}/revocation", a.command(c.changeStatus(credential.Credential.Revoke, true)))
	mux.HandleFunc("POST /v1/credentials/{id}/suspension", a.command(c.changeStatus(credential.Credential.Suspend, true)))
	mux.HandleFunc("POST /v1/credentials/{id}/reinstatement", a.command(c.changeStatus(credential.Credential.Reinstate, false)))
	mux.HandleFunc("GET /v1/status-lists/{id}", c.getStatusList(a))
	mux.HandleFunc("GET /v1/credentials/{id}/verification", public(a, "application/json", c.getVerification))
	mux.HandleFunc("POST /v1/verifications", public(a, "application/json", c.verifyPresented))
	mux.HandleFunc("GET /verify", c.verifyForm(a))
	mux.HandleFunc("GET /verify/{id}", c.verifyPage(a))
	mux.HandleFunc("POST /verify", c.verifyPastedPage(a))
}

// public wraps a read that needs no token: fn answers a body, sent as JSON
// of media type contentType, or an error that becomes a problem.
func public(a *API, contentType string, fn func(w http.ResponseWriter, r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := fn(w, r)
		if err == nil {
			var out []byte
			if out, err = json.Marshal(body); err == nil {
				writeRaw(w, http.StatusOK, contentType, out)
				return
			}
		}
		a.Fail(w, r, err)
	}
}

type issuedBody struct {
	ID        string `json:"id"`
	JWT       string `json:"jwt"`
	VerifyURL string `json:"verify_url"`
	Status    string `json:"status"`
	Log       struct {
		Index uint64 `json:"index"`
	} `json:"log"`
}

func (c *Credentials) issue(r *Request) (Response, error) {
	if len(r.Body) > 0 {
		if err := Decode(r, &struct{}{}); err != nil {
			return Response{}, err
		}
	}
	iss, err := c.Service.Issue(r.Context(), r.By, r.PathValue("id"), r.Meta)
	if err != nil {
		return Response{}, err
	}
	body := issuedBody{ID: iss.ID, JWT: iss.Token, VerifyURL: iss.VerifyURL, Status: string(credential.StatusActive)}
	body.Log.Index = iss.LogIndex
	return Response{Status: http.StatusCreated, Body: body, Personal: iss.Holder}, nil
}

type credentialStatusBody struct {
	ID      string            `json:"id"`
	Status  credential.Status `json:"status"`
	Reason  string            `json:"reason,omitempty"`
	Version uint64            `json:"version"`
}

// changeStatus handles a revocation, suspension or reinstatement: decide is
// the credential's decision, and required says whether it needs a reason.
func (c *Credentials) changeStatus(decide func(credential.Credential, domain.Actor, string, time.Time) ([]domain.Event, error), required bool) CommandFunc {
	return func(r *Request) (Response, error) {
		var in struct {
			Reason string `json:"reason"`
		}
		if required || len(r.Body) > 0 {
			if err := Decode(r, &in); err != nil {
				return Response{}, err
			}
		}
		ifMatch, err := IfMatch(r.Request)
		if err != nil {
			return Response{}, err
		}
		cr, err := c.Service.ChangeStatus(r.Context(), r.PathValue("id"), ifMatch, r.Meta, func(cr credential.Credential, at time.Time) ([]domain.Event, error) {
			return decide(cr, r.By, in.Reason, at)
		})
		if err != nil {
			return Response{}, err
		}
		return Response{Status: http.StatusOK, Body: credentialStatusBody{ID: cr.ID, Status: cr.Status(), Reason: cr.Reason, Version: cr.Version}}, nil
	}
}
