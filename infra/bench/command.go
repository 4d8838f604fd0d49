package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/mobility"
)

// runCommand measures authenticated completions of planned mobilities sent
// over HTTP to a ledger serving on loopback, on concurrent connections.
// Each mobility is completed once; the requests carry no Idempotency-Key.
func runCommand(ctx context.Context, e *Env) (Result, error) {
	loc, err := e.Database(ctx, "command")
	if err != nil {
		return Result{}, err
	}
	s, err := startLedger(ctx, e, loc, newMasterKey())
	if err != nil {
		return Result{}, err
	}
	w, err := planWorld(e.Sizes.Commands, e.Seed, domain.DateOf(time.Now()))
	if err != nil {
		return Result{}, err
	}
	tokens, err := w.record(ctx, e, s)
	if err != nil {
		return Result{}, err
	}
	reqs, err := completions(s.url(), w.mobilities, tokens)
	if err != nil {
		return Result{}, err
	}
	counter := e.count("completions over HTTP", len(reqs))
	m, err := driveUntil(ctx, e.Sizes.Writers, counter, e.Sizes.until(), sendAll(newHTTPClient(e.Sizes.Writers), reqs, http.StatusOK))
	counter.Done()
	return Result{Unit: "commands/s", Figure: m.Rate(), P50: m.Percentile(0.5), P99: m.Percentile(0.99), Ops: m.Ops}, err
}

// request is an HTTP request prepared before the clock starts.
type request struct {
	method, url, token, contentType string
	body                            []byte
}

// completions are the completion commands of mobilities, each sent with
// the token of its sending organisation.
func completions(base string, mobilities []mobility.Agreed, tokens map[string]string) ([]request, error) {
	out := make([]request, len(mobilities))
	for i, m := range mobilities {
		body, err := json.Marshal(completionBody(m, i))
		if err != nil {
			return nil, err
		}
		out[i] = request{method: http.MethodPost, url: fmt.Sprintf("%s/v1/mobilities/%s/completion", base, m.MobilityID),
			token: tokens[m.SendingOrg], contentType: "application/json", body: body}
	}
	return out, nil
}

// evidence is what issuers typically give as evidence of an outcome.
var evidence = []string{"", "portfolio", "mentor's observation record", "lesson plans and photos", "reflective journal"}

// results are the results given, in turn, to outcomes: mostly achieved.
var results = []string{"achieved", "achieved", "achieved", "partially_achieved", "achieved", "not_achieved", "achieved"}

// completionBody is the JSON of mobility m's completion as an issuer sends it.
func completionBody(m mobility.Agreed, seed int) map[string]any {
	outcomes := make([]map[string]any, len(m.Outcomes))
	for i, o := range m.Outcomes {
		outcomes[i] = map[string]any{"outcome_id": o.ID, "result": results[(seed+i)%len(results)]}
		if ev := evidence[(seed+i)%len(evidence)]; ev != "" {
			outcomes[i]["evidence"] = ev
		}
	}
	body := map[string]any{"start_date": m.StartDate, "end_date": m.EndDate, "outcomes": outcomes,
		"hours": 6 * m.StartDate.DaysThrough(m.EndDate)}
	if seed%2 == 0 {
		body["ects"] = 1 + seed%4
	}
	return body
}

// sendAll hands reqs out to the workers of drive, each sent once, and
// expects status for every one.
func sendAll(client *http.Client, reqs []request, status int) func(int) iter.Seq[Op] {
	var next atomic.Int64
	return func(int) iter.Seq[Op] {
		return func(yield func(Op) bool) {
			for i := next.Add(1) - 1; i < int64(len(reqs)); i = next.Add(1) - 1 {
				if !yield(reqs[i].op(client, status)) {
					return
				}
			}
		}
	}
}

// op sends r and checks that the answer has status.
func (r request) op(client *http.Client, status int) Op {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, r.method, r.url, bytes.NewReader(r.body))
		if err != nil {
			return err
		}
		if r.token != "" {
			req.Header.Set("Authorization", "Bearer "+r.token)
		}
		if r.contentType != "" {
			req.Header.Set("Content-Type", r.contentType)
		}
		return roundTrip(client, req, status)
	}
}

// roundTrip sends req, reads the whole answer and checks its status.
func roundTrip(client *http.Client, req *http.Request, status int) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != status {
		return fmt.Errorf("%s %s: status %d, want %d: %.300s", req.Method, req.URL.Path, resp.StatusCode, status, body)
	}
	return nil
}
