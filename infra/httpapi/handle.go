package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/problem"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// Request is a command request as a handler sees it: the authenticated actor,
// the body read in full, and the log metadata for the events it records.
type Request struct {
	*http.Request
	By   domain.Actor
	Body []byte
	Meta store.Metadata
}

// Response is what a handler answers: a status, a JSON body, the stream
// version to send as ETag (0 for none), and the participant whose personal data
// the body holds, if any, so that an erasure can forget the kept answer.
type Response struct {
	Status   int
	Body     any
	Version  uint64
	Personal string
}

// answer is a rendered command answer, as idempotency keeps it.
type answer struct {
	status      int
	contentType string
	body        []byte
	personal    string
}

// CommandFunc handles an authenticated command.
type CommandFunc func(r *Request) (Response, error)

// QueryFunc handles an authenticated read.
type QueryFunc func(r *http.Request, by domain.Actor) (Response, error)

// Authenticate returns the caller named by r's bearer token.
func (a *API) Authenticate(r *http.Request) (domain.Actor, error) {
	return a.cfg.Auth.Actor(r.Context(), r.Header.Get("Authorization"))
}

// Fail answers r with the problem for err.
func (a *API) Fail(w http.ResponseWriter, r *http.Request, err error) {
	problem.Write(w, r, a.log, err)
}

// command wraps a command handler: it authenticates, reads the body, applies
// Idempotency-Key, and writes the answer or the problem.
func (a *API) command(fn CommandFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		by, err := a.Authenticate(r)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			a.Fail(w, r, bodyError(err))
			return
		}
		key := r.Header.Get("Idempotency-Key")
		req := &Request{Request: r, By: by, Body: body, Meta: store.Metadata{
			Actor: by.Subject, CorrelationID: RequestID(r.Context()), IdempotencyKey: key}}
		run := func() answer { return a.run(fn, req) }
		if key == "" {
			ans := run()
			writeRaw(w, ans.status, ans.contentType, ans.body)
			return
		}
		a.idem.serve(w, r, by.Subject, key, body, run)
	}
}

// run executes fn and renders its answer, so that idempotency can keep it.
func (a *API) run(fn CommandFunc, req *Request) answer {
	resp, err := fn(req)
	var out []byte
	if err == nil {
		out, err = json.Marshal(resp.Body)
	}
	if err != nil {
		if _, internal := problem.From(err); internal {
			a.log.ErrorContext(req.Context(), "internal error", "method", req.Method, "path", req.URL.Path, "err", err)
		}
		return problemAnswer(err)
	}
	return answer{status: resp.Status, contentType: "application/json", body: out, personal: resp.Personal}
}

// problemAnswer renders the problem for err.
func problemAnswer(err error) answer {
	d, _ := problem.From(err)
	out, _ := json.Marshal(d)
	return answer{status: d.Status, contentType: "application/problem+json", body: out}
}

// query wraps a read handler with authentication and error handling.
func (a *API) query(fn QueryFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		by, err := a.Authenticate(r)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		resp, err := fn(r, by)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		if resp.Version > 0 {
			w.Header().Set("ETag", strconv.Quote(strconv.FormatUint(resp.Version, 10)))
		}
		writeJSON(w, resp.Status, resp.Body)
	}
}

// Decode reads a JSON body strictly into v: the content type must be JSON,
// unknown fields and trailing data are refused, and every error is Invalid.
func Decode(r *Request, v any) error {
	if ct := r.Header.Get("Content-Type"); !isJSON(ct) {
		return domain.Invalidf("the body must be application/json, not %q", ct)
	}
	if len(bytes.TrimSpace(r.Body)) == 0 {
		return domain.Invalidf("the request body is empty; a JSON object is required")
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return domain.Invalidf("the body must hold exactly one JSON value")
	}
	return nil
}

// isJSON reports whether content type ct (empty counts as JSON) names JSON.
// The common exact "application/json" is answered without parsing, which
// would allocate a parameter map on every command.
func isJSON(ct string) bool {
	if ct == "" || ct == "application/json" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// jsonError explains a JSON decoding failure to the client.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var de *domain.Error
	switch {
	case errors.As(err, &de):
		return err
	case errors.As(err, &syn):
		return domain.Invalidf("malformed JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		return domain.Invalidf("field %q must be of type %s, not %s", typ.Field, typ.Type, typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return domain.Invalidf("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Invalidf("malformed JSON: unexpected end of input")
	}
	return domain.Invalidf("malformed JSON: %s", err.Error())
}

// bodyError explains why a body could not be read.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return domain.Invalidf("request body larger than %d bytes", tooBig.Limit)
	}
	return domain.Invalidf("could not read the request body")
}

// IfMatch returns the stream version named by r's If-Match header, or nil.
func IfMatch(r *http.Request) (*uint64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return nil, nil
	}
	v, err := strconv.ParseUint(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
	if err != nil {
		return nil, domain.Invalidf("If-Match must be a stream version such as \"3\", not %s", h)
	}
	return &v, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	out, err := json.Marshal(v)
	if err != nil {
		writeRaw(w, http.StatusInternalServerError, "application/problem+json", []byte(`{"type":"`+problem.TypeBase+`internal","title":"Internal Server Error","status":500}`))
		return
	}
	writeRaw(w, status, "application/json", out)
}

// writeRaw answers with status and body followed by a newline. It writes the
// newline separately rather than appending it, which would copy a body without
// spare capacity and write into the caller's array when it has some.
func writeRaw(w http.ResponseWriter, status int, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	if _, err := w.Write(body); err == nil {
		_, _ = w.Write(newline)
	}
}

// newline ends every body writeRaw writes.
var newline = []byte{'\n'}
