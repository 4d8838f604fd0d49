// Package demo records realistic sample data through the ledger's own HTTP API:
// ECEC centres and schools in several countries, their staff, and mobilities in
// every state.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Client calls the API as the demo's actors.
type Client struct {
	Base string
	HTTP *http.Client
	// Mint returns a token for a subject with roles, acting for org.
	Mint func(sub string, roles []domain.Role, org string, ttl time.Duration) (string, error)
}

// Post sends body as JSON to path with token and decodes the answer into out. A
// status other than 2xx is an error that quotes the problem.
func (c *Client) Post(ctx context.Context, token, path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %s: %s", path, resp.Status, bytes.TrimSpace(raw))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// issuer returns a token for an issuer of oid.
func (c *Client) issuer(oid string) (string, error) {
	return c.Mint("demo-issuer-"+oid, []domain.Role{domain.RoleIssuer}, oid, time.Hour)
}
