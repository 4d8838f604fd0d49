package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// servedLedger is the large ledger served by a `ledger serve` process of
// its own (or, with --in-process, by this process), which the verification
// and memory scenarios measure.
type servedLedger struct {
	l      *largeLedger
	p      served
	client *http.Client
	loads  map[string]bool // verification scenarios that ran against p
}

// servedLedger returns the large ledger served by a server that has served
// nothing yet, starting it on first use. A first server catches up with the
// log (read models, Merkle tree) and is stopped, so that the one measured
// starts on a current database and its peak memory is that of serving.
func (e *Env) servedLedger(ctx context.Context) (*servedLedger, error) {
	return fixture(e, "served", func() (*servedLedger, error) {
		l, err := e.largeLedger(ctx)
		if err != nil {
			return nil, err
		}
		warm, err := e.serve(ctx, l)
		if err != nil {
			return nil, err
		}
		if err := warm.stop(); err != nil {
			return nil, err
		}
		p, err := e.serve(ctx, l)
		if err != nil {
			return nil, err
		}
		return &servedLedger{l: l, p: p, client: newHTTPClient(e.Sizes.Writers), loads: map[string]bool{}}, nil
	})
}

// answer is an HTTP answer read in full.
type answer struct {
	status int
	ctype  string
	body   []byte
}

// do sends one request to the served ledger and reads the answer.
func (s *servedLedger) do(ctx context.Context, method, path, token, ctype string, body []byte) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.p.url()+path, bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), body: b}, err
}

// unrouted reports whether a answers a path the ledger has no route for:
// the plain 404 or 405 of the router, not a problem document of the API.
func (a answer) unrouted() bool {
	return (a.status == http.StatusNotFound || a.status == http.StatusMethodNotAllowed) && !strings.Contains(a.ctype, "json")
}

// post sends a JSON command and decodes the answer into out, expecting want.
func (s *servedLedger) post(ctx context.Context, path, token string, in, out any, want int) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	a, err := s.do(ctx, http.MethodPost, path, token, "application/json", body)
	switch {
	case err != nil:
		return err
	case a.unrouted():
		return missing("the ledger has no route POST %s", routeOf(path))
	case a.status != want:
		return fmt.Errorf("POST %s: status %d, want %d: %.300s", path, a.status, want, a.body)
	}
	return json.Unmarshal(a.body, out)
}

// routeOf is path with its identifiers elided, for messages.
func routeOf(path string) string {
	parts := strings.Split(path, "/")
	for i := range parts {
		if i > 2 && i%2 == 1 {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// bareServer is a plain net/http server on a free loopback port, in this
// process: the baseline that handlers of the ledger are measured against.
type bareServer struct {
	url string
	srv *http.Server
}

// startBare serves h until the run ends.
func (e *Env) startBare(h http.Handler) (*bareServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &bareServer{url: "http://" + ln.Addr().String(), srv: &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}}
	go b.srv.Serve(ln)
	e.cleanups.add(func(ctx context.Context) error { return b.srv.Shutdown(ctx) })
	return b, nil
}
