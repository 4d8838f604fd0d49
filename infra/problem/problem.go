// Package problem writes RFC 9457 problem details, and holds the one table that
// maps the domain's error kinds to HTTP status codes.
package problem

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/erasmus-ledger/ledger/domain"
)

// Details is an RFC 9457 problem details object.
type Details struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// kinds maps each domain error kind to its status and problem type. It is the
// only place where errors become HTTP status codes.
var kinds = []struct {
	kind   error
	status int
	slug   string
}{
	{domain.ErrInvalid, http.StatusBadRequest, "invalid"},
	{domain.ErrNotFound, http.StatusNotFound, "not-found"},
	{domain.ErrConflict, http.StatusConflict, "conflict"},
	{domain.ErrForbidden, http.StatusForbidden, "forbidden"},
	{domain.ErrUnauthenticated, http.StatusUnauthorized, "unauthenticated"},
}

// TypeBase prefixes every problem type URI.
const TypeBase = "https://ledger.example.eu/problems/"

// From classifies err. Errors of a known kind keep the domain's message, which is
// meant for clients; any other error is internal and yields a 500 without detail.
func From(err error) (d Details, internal bool) {
	for _, k := range kinds {
		if errors.Is(err, k.kind) {
			return Details{Type: TypeBase + k.slug, Title: http.StatusText(k.status), Status: k.status, Detail: message(err)}, false
		}
	}
	return Details{Type: TypeBase + "internal", Title: http.StatusText(http.StatusInternalServerError), Status: http.StatusInternalServerError}, true
}

// message is the client-facing message of err: the innermost domain.Error's, so
// that wrapping context added by adapters does not leak.
func message(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Msg
	}
	return err.Error()
}

// Write answers r with the problem for err. An internal error is logged once,
// with its cause, and answered without it.
func Write(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	d, internal := From(err)
	if internal {
		log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	Send(w, d)
}

// Send writes d as application/problem+json.
func Send(w http.ResponseWriter, d Details) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(d.Status)
	_ = json.NewEncoder(w).Encode(d)
}
