package httpapi

import (
	"net/http"
	"time"

	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/credentials"
)

// keyCacheControl lets clients keep published keys briefly: a key never
// changes, but a new one may be added.
const keyCacheControl = "public, max-age=300"

type keyBody struct {
	ID           string          `json:"id"`
	Kid          string          `json:"kid"`
	OID          string          `json:"oid"`
	JWK          credentials.JWK `json:"jwk"`
	RegisteredAt time.Time       `json:"registered_at"`
	Revoked      bool            `json:"revoked"`
	RevokedAt    *time.Time      `json:"revoked_at,omitempty"`
	Reason       string          `json:"reason,omitempty"`
	Version      uint64          `json:"version"`
}

func (c *Credentials) keyView(k credential.Key) keyBody {
	kid := c.Service.URLs().Key(k.ID)
	v := keyBody{ID: k.ID, Kid: kid, OID: k.OID, JWK: credentials.Publish(kid, k.PublicJWK), RegisteredAt: k.RegisteredAt,
		Revoked: k.Revoked, Reason: k.RevokeReason, Version: k.Version}
	if k.Revoked {
		v.RevokedAt = &k.RevokedAt
	}
	return v
}

func (c *Credentials) createKey(r *Request) (Response, error) {
	if len(r.Body) > 0 {
		if err := Decode(r, &struct{}{}); err != nil {
			return Response{}, err
		}
	}
	k, err := c.Service.CreateKey(r.Context(), r.By, r.PathValue("oid"), r.Meta)
	if err != nil {
		return Response{}, err
	}
	return Response{Status: http.StatusCreated, Body: c.keyView(k)}, nil
}

func (c *Credentials) revokeKey(r *Request) (Response, error) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := Decode(r, &in); err != nil {
		return Response{}, err
	}
	ifMatch, err := IfMatch(r.Request)
	if err != nil {
		return Response{}, err
	}
	k, err := c.Service.RevokeKey(r.Context(), r.By, r.PathValue("id"), in.Reason, ifMatch, r.Meta)
	if err != nil {
		return Response{}, err
	}
	return Response{Status: http.StatusOK, Body: c.keyView(k)}, nil
}

// getKey answers the JWK a kid names, as a plain JWK (RFC 7517) that any
// JOSE library reads.
func (c *Credentials) getKey(w http.ResponseWriter, r *http.Request) (any, error) {
	k, err := c.Service.PublishedKey(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	publicHeaders(w, keyCacheControl)
	return k, nil
}

func (c *Credentials) getKeySet(w http.ResponseWriter, r *http.Request) (any, error) {
	set, err := c.Service.KeySet(r.Context())
	if err != nil {
		return nil, err
	}
	publicHeaders(w, keyCacheControl)
	return set, nil
}

// publicHeaders marks an answer as public: any origin may read it (verifiers
// run in browsers too), and caches may keep it as cacheControl says.
func publicHeaders(w http.ResponseWriter, cacheControl string) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", cacheControl)
}
