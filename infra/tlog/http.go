package tlog

import (
	"encoding/json"
	"net/http"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/problem"
)

// Routes registers the public auditing endpoints of CONTRACT.md on mux:
//
//	GET /v1/log/checkpoint           the latest signed checkpoint (text/plain)
//	GET /v1/log/key                  the checkpoint verifier key (text/plain)
//	GET /v1/log/entries              ?start=N&limit=M[&decoded=false], NDJSON or by Accept binary frames (see package entry)
//	GET /v1/log/proofs/inclusion     ?index=I&size=N
//	GET /v1/log/proofs/consistency   ?old=M&size=N
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /v1/log/checkpoint", s.serveCheckpoint)
	mux.HandleFunc("GET /v1/log/key", s.serveKey)
	mux.HandleFunc("GET /v1/log/entries", s.serveEntries)
	mux.HandleFunc("GET /v1/log/proofs/inclusion", s.serveInclusion)
	mux.HandleFunc("GET /v1/log/proofs/consistency", s.serveConsistency)
}

func (s *Service) serveCheckpoint(w http.ResponseWriter, r *http.Request) {
	c, err := s.Latest(r.Context())
	if err != nil {
		problem.Write(w, r, s.cfg.Logger, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(c.Note)
}

func (s *Service) serveKey(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(s.vkey + "\n"))
}

// proofBody is the answer of both proof endpoints; Old is set for consistency
// proofs, Index for inclusion proofs.
type proofBody struct {
	Index  *uint64     `json:"index,omitempty"`
	Old    *uint64     `json:"old,omitempty"`
	Size   uint64      `json:"size"`
	Hashes []tlog.Hash `json:"hashes"`
}

func (s *Service) serveInclusion(w http.ResponseWriter, r *http.Request) {
	p, err := required(r, "index", "size")
	if err == nil {
		var hashes []tlog.Hash
		if hashes, err = s.InclusionProof(r.Context(), p[0], p[1]); err == nil {
			writeProof(w, proofBody{Index: &p[0], Size: p[1], Hashes: hashes})
			return
		}
	}
	problem.Write(w, r, s.cfg.Logger, err)
}

func (s *Service) serveConsistency(w http.ResponseWriter, r *http.Request) {
	p, err := required(r, "old", "size")
	if err == nil {
		var hashes []tlog.Hash
		if hashes, err = s.ConsistencyProof(r.Context(), p[0], p[1]); err == nil {
			writeProof(w, proofBody{Old: &p[0], Size: p[1], Hashes: hashes})
			return
		}
	}
	problem.Write(w, r, s.cfg.Logger, err)
}

// writeProof answers with a proof. Proofs between fixed sizes never change.
func writeProof(w http.ResponseWriter, p proofBody) {
	if p.Hashes == nil {
		p.Hashes = []tlog.Hash{}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_ = json.NewEncoder(w).Encode(p)
}

// required reads the named query parameters, each a required integer.
func required(r *http.Request, names ...string) ([]uint64, error) {
	values := make([]uint64, len(names))
	for i, name := range names {
		v, err := uintParam(r, name, nil)
		if err != nil {
			return nil, err
		}
		values[i] = v
	}
	return values, nil
}

// uintParam reads the non-negative integer query parameter name; def is its
// value when absent, or nil if it is required.
func uintParam(r *http.Request, name string, def *uint64) (uint64, error) {
	q := r.URL.Query()
	if !q.Has(name) {
		if def == nil {
			return 0, domain.Invalidf("query parameter %s is required", name)
		}
		return *def, nil
	}
	v, err := strconv.ParseUint(q.Get(name), 10, 63)
	if err != nil {
		return 0, domain.Invalidf("query parameter %s must be an integer from 0 to 2⁶³-1", name)
	}
	return v, nil
}
