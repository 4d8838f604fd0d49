package tlog_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
)

// BenchmarkEntries serves all of a log of benchEntries events as binary
// frames over loopback, on each backend, and reports entries/s. Server and
// client share the process, so allocs/op counts the server's allocations
// (the client only discards the body).
//
//	go test -run '^$' -bench Entries -benchmem ./infra/tlog/
func BenchmarkEntries(b *testing.B) {
	const benchEntries = 20_000
	for _, backend := range []struct {
		name string
		open func(testing.TB) store.Backend
	}{{"sqlite", openSQLite}, {"postgres", openPostgres}} {
		b.Run(backend.name, func(b *testing.B) {
			srv := serveEntries(b, backend.open(b), benchEntries)
			url := fmt.Sprintf("%s/v1/log/entries?limit=%d", srv.URL, benchEntries)
			b.ReportAllocs()
			for b.Loop() {
				if n := fetchFrames(b, srv.Client(), url); n == 0 {
					b.Fatal("no entries served")
				}
			}
			b.ReportMetric(float64(benchEntries)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

// serveEntries fills bk with n events and serves its log endpoints once a
// checkpoint covers them all.
func serveEntries(b *testing.B, bk store.Backend, n int) *httptest.Server {
	s, _ := start(b, bk, fastConfig(b))
	appendEvents(b, bk, n)
	waitCheckpoint(b, s, uint64(n))
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv
}

// fetchFrames GETs url as binary frames and returns the body's length.
func fetchFrames(b *testing.B, c *http.Client, url string) int64 {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Accept", entry.MediaType)
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatal(resp.Status, err)
	}
	return n
}
