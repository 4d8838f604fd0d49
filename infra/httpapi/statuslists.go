package httpapi

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// The cache lifetimes of status lists: a list as it stands now changes with
// the next revocation or suspension, so verifiers keep it for a minute; a list
// as it stood in the past is settled once the log has moved past that time.
const (
	currentListCacheControl = "public, max-age=60"
	pastListCacheControl    = "public, max-age=86400"
	settledAfter            = time.Minute
)

// getStatusList serves a Bitstring Status List credential, as it stands now
// or, with ?timestamp=<RFC 3339>, as it stood then.
func (c *Credentials) getStatusList(a *API) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		now := a.Commands().Now()
		at, err := listTime(r, now)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		l, err := c.Service.StatusList(r.Context(), r.PathValue("id"), at)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		cache := currentListCacheControl
		if !at.IsZero() && now.Sub(at) > settledAfter {
			cache = pastListCacheControl
		}
		publicHeaders(w, cache)
		etag := `W/"` + l.Tag + `"`
		w.Header().Set("ETag", etag)
		if matchesETag(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		// The token goes out exactly as signed, with no trailing newline that
		// a strict compact-JWS parser would refuse.
		w.Header().Set("Content-Type", "application/vc+jwt")
		w.Header().Set("Content-Length", strconv.Itoa(len(l.Token)))
		_, _ = io.WriteString(w, l.Token)
	}
}

// listTime is the time a status list request asks about: its timestamp
// parameter, which may not lie in the future, or the zero time for now.
func listTime(r *http.Request, now time.Time) (time.Time, error) {
	ts := r.URL.Query().Get("timestamp")
	if ts == "" {
		return time.Time{}, nil
	}
	at, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return time.Time{}, domain.Invalidf("timestamp must be an RFC 3339 time such as 2025-03-14T09:30:00Z, not %q", ts)
	}
	if at.After(now) {
		return time.Time{}, domain.Invalidf("timestamp %s is in the future", ts)
	}
	return at.UTC(), nil
}

// matchesETag reports whether an If-None-Match header names etag, compared
// weakly (RFC 9110 §13.1.2).
func matchesETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}
