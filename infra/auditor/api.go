package auditor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// errNoEndpoint is the error of a read the ledger has no route for.
var errNoEndpoint = errors.New("the ledger serves no such endpoint")

// maxBody is the largest answer a read endpoint may give, in bytes.
const maxBody = 16 << 20

// api reads the ledger's JSON read endpoints, with the auditor's token where
// one is needed.
type api struct {
	base  string
	http  *http.Client
	token string
}

// get reads the JSON document at path into v. found is false, and err nil,
// for a 404; any other answer but 200 is an error.
func (a *api) get(ctx context.Context, path string, authorised bool, v any) (found bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(a.base, "/")+path, nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("Accept", "application/json")
	if authorised && a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	switch {
	case err != nil:
		return false, fmt.Errorf("GET %s: %w", path, err)
	case resp.StatusCode == http.StatusNotFound && unrouted(body):
		return false, fmt.Errorf("GET %s: %w", path, errNoEndpoint)
	case resp.StatusCode == http.StatusNotFound:
		return false, nil
	case resp.StatusCode != http.StatusOK:
		return false, fmt.Errorf("GET %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return false, fmt.Errorf("GET %s: %w", path, err)
	}
	return true, nil
}

// unrouted reports whether a 404's problem says that no route matched, as
// the ledger's router answers, rather than that an item is unknown.
func unrouted(body []byte) bool {
	var p struct {
		Detail string `json:"detail"`
	}
	return json.Unmarshal(body, &p) == nil && p.Detail == "no such resource"
}
