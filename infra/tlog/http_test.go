package tlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/store"
	ledgertlog "github.com/erasmus-ledger/ledger/infra/tlog"
	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// get fetches path from srv, failing the test on a transport error.
func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// served runs a service with n entries behind an HTTP server, once a
// checkpoint covers them all.
func served(t *testing.T, n int) (*httptest.Server, store.Backend) {
	t.Helper()
	b := openSQLite(t)
	s, _ := start(t, b, fastConfig(t))
	appendEvents(t, b, n)
	waitCheckpoint(t, s, uint64(n))
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, b
}

// TestServedCheckpointOpensWithServedKey checks the checkpoint with nothing
// but what the endpoints serve and the sumdb/note package.
func TestServedCheckpointOpensWithServedKey(t *testing.T) {
	t.Parallel()
	srv, b := served(t, 11)
	resp, vkey := get(t, srv, "/v1/log/key")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(vkey), origin+"+") {
		t.Fatalf("key: %d %q", resp.StatusCode, vkey)
	}
	v, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		t.Fatal(err)
	}
	resp, msg := get(t, srv, "/v1/log/checkpoint")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("checkpoint: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		t.Fatalf("served checkpoint does not open with the served key: %v\n%s", err, msg)
	}
	c, err := checkpoint.Parse([]byte(n.Text))
	if err != nil {
		t.Fatal(err)
	}
	if want := reference(t, b).Hash(); c.Origin != origin || c.Size != 11 || !bytes.Equal(c.Root[:], want) {
		t.Fatalf("checkpoint %+v, want %s, 11 entries, root %x", c, origin, want)
	}
}

func TestServedProofs(t *testing.T) {
	t.Parallel()
	srv, b := served(t, 23)
	ref := reference(t, b)
	var body struct {
		Hashes []tlog.Hash `json:"hashes"`
	}
	resp, text := get(t, srv, "/v1/log/proofs/inclusion?index=13&size=21")
	if resp.StatusCode != http.StatusOK || json.Unmarshal(text, &body) != nil {
		t.Fatalf("inclusion: %d %s", resp.StatusCode, text)
	}
	if err := proof.VerifyInclusion(rfc6962.DefaultHasher, 13, 21, ref.LeafHash(13), raw(body.Hashes), ref.HashAt(21)); err != nil {
		t.Fatalf("served inclusion proof: %v", err)
	}
	resp, text = get(t, srv, "/v1/log/proofs/consistency?old=6&size=23")
	if resp.StatusCode != http.StatusOK || json.Unmarshal(text, &body) != nil {
		t.Fatalf("consistency: %d %s", resp.StatusCode, text)
	}
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, 6, 23, raw(body.Hashes), ref.HashAt(6), ref.HashAt(23)); err != nil {
		t.Fatalf("served consistency proof: %v", err)
	}
}

func TestBadRequestsAre400(t *testing.T) {
	t.Parallel()
	srv, _ := served(t, 5)
	for _, path := range []string{
		"/v1/log/proofs/inclusion?size=5",
		"/v1/log/proofs/inclusion?index=0",
		"/v1/log/proofs/inclusion?index=5&size=5",
		"/v1/log/proofs/inclusion?index=0&size=6",
		"/v1/log/proofs/inclusion?index=0&size=0",
		"/v1/log/proofs/inclusion?index=-1&size=5",
		"/v1/log/proofs/inclusion?index=x&size=5",
		"/v1/log/proofs/inclusion?index=0&size=99999999999999999999",
		"/v1/log/proofs/consistency?old=0&size=5",
		"/v1/log/proofs/consistency?old=4&size=3",
		"/v1/log/proofs/consistency?old=4&size=6",
		"/v1/log/proofs/consistency?old=4",
		"/v1/log/entries?limit=0",
		"/v1/log/entries?limit=100001",
		"/v1/log/entries?start=one",
		"/v1/log/entries?decoded=maybe",
	} {
		resp, body := get(t, srv, path)
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s %s, want a 400 problem", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}

func TestCheckpointBeforeTheFirstIs404(t *testing.T) {
	t.Parallel()
	b := openSQLite(t)
	s := newService(t, b)
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	if resp, body := get(t, srv, "/v1/log/checkpoint"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("checkpoint before Run: %d %s, want 404", resp.StatusCode, body)
	}
}

func TestEntries(t *testing.T) {
	t.Parallel()
	srv, b := served(t, 30)
	all := readAll(t, b)
	cases := []struct {
		query      string
		start, end int
	}{
		{"", 0, 30},
		{"?start=3&limit=20&decoded=false", 3, 23},
		{"?start=4&limit=3", 4, 7},
		{"?start=25&limit=100", 25, 30},
		{"?start=30", 30, 30},
		{"?start=1000", 30, 30},
	}
	for _, c := range cases {
		resp, body := get(t, srv, "/v1/log/entries"+c.query)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/x-ndjson" {
			t.Fatalf("%s: %d %s", c.query, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if decoded := !strings.Contains(c.query, "decoded=false"); c.end > c.start && decoded != bytes.Contains(body, []byte(`"stream":`)) {
			t.Fatalf("%s: decoded members present: %v, want %v", c.query, !decoded, decoded)
		}
		r := entry.NewReader(bytes.NewReader(body))
		for i := c.start; i < c.end; i++ {
			e, err := r.Next()
			if err != nil {
				t.Fatalf("%s: entry %d: %v", c.query, i, err)
			}
			want, _ := leaf.Encode(all[i])
			if e.Index != uint64(i) || !bytes.Equal(e.Leaf, want) {
				t.Fatalf("%s: line %d is entry %d with leaf %x, want entry %d with %x", c.query, i-c.start, e.Index, e.Leaf, i, want)
			}
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("%s: after entry %d: %v, want the end", c.query, c.end-1, err)
		}
	}
}

// TestEntriesAcrossPages streams more entries than one read of the log.
func TestEntriesAcrossPages(t *testing.T) {
	t.Parallel()
	b := openPostgres(t)
	appendEvents(t, b, 12003)
	s := newService(t, b)
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for query, want := range map[string]uint64{"?start=2&limit=12000": 12000, "?start=1&limit=100000": 12002, "?limit=10000": 10000} {
		_, body := get(t, srv, "/v1/log/entries"+query)
		r := entry.NewReader(bytes.NewReader(body))
		var n uint64
		for ; ; n++ {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(err)
			}
		}
		if n != want {
			t.Errorf("%s: %d entries, want %d", query, n, want)
		}
	}
}

// newService opens a service on b without running it.
func newService(t *testing.T, b store.Backend) *ledgertlog.Service {
	t.Helper()
	s, err := ledgertlog.New(context.Background(), b, fastConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestEntriesAsFrames asks for the entries by Accept as binary frames: each
// the leaf's length, then the leaf, nothing else.
func TestEntriesAsFrames(t *testing.T) {
	t.Parallel()
	srv, b := served(t, 12)
	all := readAll(t, b)
	cases := map[string]string{
		entry.MediaType: entry.MediaType,
		"application/x-ndjson;q=0.9, " + entry.MediaType: entry.MediaType,
		entry.MediaType + ";q=0, application/x-ndjson":   "application/x-ndjson",
		"application/json": "application/x-ndjson",
	}
	for accept, want := range cases {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/log/entries?start=2&limit=9", nil)
		req.Header.Set("Accept", accept)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != want {
			t.Fatalf("Accept %s: %d %s, %v; want %s", accept, resp.StatusCode, resp.Header.Get("Content-Type"), err, want)
		}
		if want != entry.MediaType {
			continue
		}
		var frames []byte
		for _, r := range all[2:11] {
			l, _ := leaf.Encode(r)
			frames = append(append(frames, 0, 0, byte(len(l)>>8), byte(len(l))), l...)
		}
		if !bytes.Equal(body, frames) {
			t.Fatalf("Accept %s: body\n%x\nwant the frames of entries 2 to 10\n%x", accept, body, frames)
		}
	}
}

// TestEntriesReadFailureIsAProblem checks that a log read failing before any
// entry is written is answered as a problem, without the headers of a
// stream of entries.
func TestEntriesReadFailureIsAProblem(t *testing.T) {
	t.Parallel()
	srv, b := served(t, 3)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, srv, "/v1/log/entries")
	if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("Content-Type") != "application/problem+json" ||
		resp.Header.Get("Vary") != "" {
		t.Errorf("entries of a closed log: %d %s, Vary %q: %s; want a 500 problem", resp.StatusCode,
			resp.Header.Get("Content-Type"), resp.Header.Get("Vary"), body)
	}
}
