package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
)

// DefaultPageSize is how many entries a Client asks for per request, the
// most the ledger serves at once.
const DefaultPageSize = 100000

// Client reads a ledger's public log endpoints.
type Client struct {
	// URL is the ledger's base URL, such as "https://ledger.example.eu".
	URL string
	// HTTP makes the requests; nil means a plain http.Client.
	HTTP *http.Client
	// PageSize is how many entries to ask for per request; default DefaultPageSize.
	PageSize uint64
	// Lines asks for the entries as NDJSON lines; by default they are asked
	// for as binary frames (entry.MediaType), which a ledger that does not
	// serve them answers with lines.
	Lines bool
}

// Checkpoint fetches the latest signed checkpoint.
func (c *Client) Checkpoint(ctx context.Context) ([]byte, error) {
	return c.get(ctx, "/v1/log/checkpoint", nil)
}

// Key fetches the checkpoint verifier key. Trust it only on first use, and
// pin it: a ledger that serves its own key proves nothing by it.
func (c *Client) Key(ctx context.Context) (string, error) {
	b, err := c.get(ctx, "/v1/log/key", nil)
	return strings.TrimSpace(string(b)), err
}

// ConsistencyProof fetches the proof that the tree of size entries extends
// the tree of old entries.
func (c *Client) ConsistencyProof(ctx context.Context, old, size uint64) ([]tlog.Hash, error) {
	return c.proof(ctx, "/v1/log/proofs/consistency", url.Values{"old": {fmt.Sprint(old)}, "size": {fmt.Sprint(size)}})
}

// InclusionProof fetches the audit path of entry index in the tree of size entries.
func (c *Client) InclusionProof(ctx context.Context, index, size uint64) ([]tlog.Hash, error) {
	return c.proof(ctx, "/v1/log/proofs/inclusion", url.Values{"index": {fmt.Sprint(index)}, "size": {fmt.Sprint(size)}})
}

func (c *Client) proof(ctx context.Context, path string, q url.Values) ([]tlog.Hash, error) {
	b, err := c.get(ctx, path, q)
	if err != nil {
		return nil, err
	}
	var body struct {
		Hashes []tlog.Hash `json:"hashes"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return body.Hashes, nil
}

// get fetches a small document.
func (c *Client) get(ctx context.Context, path string, q url.Values) ([]byte, error) {
	resp, err := c.open(ctx, path, q, "")
	if err != nil {
		return nil, err
	}
	defer resp.Close()
	b, err := io.ReadAll(io.LimitReader(resp, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	return b, nil
}

// open starts a GET, with accept as its Accept header if not "", and
// returns its body once the status is 200.
func (c *Client) open(ctx context.Context, path string, q url.Values, accept string) (io.ReadCloser, error) {
	u := strings.TrimSuffix(c.URL, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	client := c.HTTP
	if client == nil {
		client = &http.Client{}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		detail, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s: %s", u, resp.Status, strings.TrimSpace(string(detail)))
	}
	return resp.Body, nil
}

// Entries streams the entries from start up to end, excluded, fetching them
// a page at a time as they are read: binary frames, or with Lines NDJSON
// lines with just their index and leaf (the audit decodes leaves itself).
// Close it to stop early.
func (c *Client) Entries(ctx context.Context, start, end uint64) io.ReadCloser {
	size := c.PageSize
	if size == 0 {
		size = DefaultPageSize
	}
	accept := entry.MediaType + ", application/x-ndjson;q=0.5"
	if c.Lines {
		accept = "application/x-ndjson"
	}
	fetch := func(start, n uint64) (io.ReadCloser, error) {
		q := url.Values{"start": {fmt.Sprint(start)}, "limit": {fmt.Sprint(n)}, "decoded": {"false"}}
		return c.open(ctx, "/v1/log/entries", q, accept)
	}
	return &pages{fetch: fetch, next: start, end: end, size: size}
}

// pages reads the entries endpoint one page after another. A page that is
// shorter than asked leaves a gap the auditor reports, rather than one this
// reader papers over.
type pages struct {
	fetch     func(start, n uint64) (io.ReadCloser, error)
	next, end uint64
	size      uint64
	body      io.ReadCloser
}

func (p *pages) Read(b []byte) (int, error) {
	for {
		if p.body == nil {
			if p.next >= p.end {
				return 0, io.EOF
			}
			n := min(p.size, p.end-p.next)
			body, err := p.fetch(p.next, n)
			if err != nil {
				return 0, err
			}
			p.body, p.next = body, p.next+n
		}
		n, err := p.body.Read(b)
		if err == io.EOF {
			p.body.Close()
			p.body = nil
			err = nil
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// Close ends the page being read and any to come.
func (p *pages) Close() error {
	p.next = p.end
	if p.body == nil {
		return nil
	}
	err := p.body.Close()
	p.body = nil
	return err
}
