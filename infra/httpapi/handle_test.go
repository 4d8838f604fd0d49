package httpapi

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
)

// completionJSON is a completion body such as ledgerbench sends.
const completionJSON = `{"start_date":"2026-02-01","end_date":"2026-06-30","ects":30,` +
	`"outcomes":[{"outcome_id":"lo-1","result":"achieved"},{"outcome_id":"lo-2","result":"achieved"}]}`

// commandRequest is a POST of body with content type ct.
func commandRequest(ct, body string) *Request {
	r := httptest.NewRequest(http.MethodPost, "/v1/mobilities/m1/completion", nil)
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	return &Request{Request: r, Body: []byte(body)}
}

// TestDecodeContentType checks which content types Decode accepts.
func TestDecodeContentType(t *testing.T) {
	for ct, ok := range map[string]bool{
		"": true, "application/json": true, "application/json; charset=utf-8": true,
		"Application/JSON": true, "application/ld+json": true,
		"text/plain": false, "application/jsonx": false, "application/json;;": false,
	} {
		var in completeBody
		err := Decode(commandRequest(ct, completionJSON), &in)
		if (err == nil) != ok {
			t.Errorf("content type %q: err %v, want accepted %v", ct, err, ok)
		}
		if ok && (err != nil || len(in.Outcomes) != 2) {
			t.Errorf("content type %q: decoded %+v, %v", ct, in, err)
		}
	}
}

// TestDecodeRefuses checks that bodies Decode must refuse are Invalid.
func TestDecodeRefuses(t *testing.T) {
	for _, body := range []string{"", "  ", `{"start_date":"2026-02-01"} {}`, `{"nope":1}`, `{"ects":"x"}`, `{`} {
		var in completeBody
		if err := Decode(commandRequest("application/json", body), &in); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("body %q: err %v, want Invalid", body, err)
		}
	}
}

// TestWriteRaw checks the status, headers and newline-terminated body.
func TestWriteRaw(t *testing.T) {
	body := make([]byte, 3, 64)
	copy(body, `{"a`)
	w := httptest.NewRecorder()
	writeRaw(w, http.StatusCreated, "application/json", body[:2])
	if w.Code != http.StatusCreated || w.Body.String() != "{\"\n" ||
		w.Header().Get("Content-Length") != "3" || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("got %d %q %v", w.Code, w.Body.String(), w.Header())
	}
	if string(body) != `{"a` {
		t.Fatalf("writeRaw changed the caller's bytes: %q", body)
	}
}

// BenchmarkCommandIO measures the per-request JSON work of a command around the
// decision: decoding a completion body and writing the rendered answer.
func BenchmarkCommandIO(b *testing.B) {
	req := commandRequest("application/json", completionJSON)
	answer := []byte(strings.Repeat("x", 600))
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		var in completeBody
		if err := Decode(req, &in); err != nil {
			b.Fatal(err)
		}
		w.Body.Reset()
		clear(w.Header())
		writeRaw(w, http.StatusOK, "application/json", answer)
	}
}
