package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// recordBody is a stored event as auditors read it: the payload as stored, with
// personal data still sealed.
type recordBody struct {
	Index      uint64          `json:"index"`
	ID         string          `json:"id"`
	Stream     string          `json:"stream"`
	Version    uint64          `json:"version"`
	Type       string          `json:"type"`
	Schema     int             `json:"schema_version"`
	RecordedAt time.Time       `json:"recorded_at"`
	Meta       store.Metadata  `json:"meta"`
	Data       json.RawMessage `json:"data"`
}

func (a *API) getStream(r *http.Request, by domain.Actor) (Response, error) {
	if !by.Has(domain.RoleAuditor) && !by.Has(domain.RoleAdmin) {
		return Response{}, domain.Forbiddenf("reading raw streams needs the auditor role")
	}
	stream := r.PathValue("stream")
	if err := domain.ValidText("stream", stream, 200, true); err != nil {
		return Response{}, err
	}
	recs, err := a.cfg.Backend.ReadStream(r.Context(), stream)
	if err != nil {
		return Response{}, err
	}
	if len(recs) == 0 {
		return Response{}, domain.NotFoundf("stream %s does not exist", stream)
	}
	out := make([]recordBody, len(recs))
	for i, rec := range recs {
		out[i] = recordBody{Index: rec.Index, ID: rec.ID, Stream: rec.Stream, Version: rec.Version, Type: rec.Type,
			Schema: rec.Schema, RecordedAt: rec.RecordedAt.UTC(), Meta: rec.Meta, Data: json.RawMessage(rec.Data)}
	}
	return Response{Status: http.StatusOK, Body: map[string]any{"stream": stream, "events": out}, Version: recs[len(recs)-1].Version}, nil
}
