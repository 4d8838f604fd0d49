package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/app/apptest"
)

// testLedger is a real ledger process serving on a free port.
type testLedger struct {
	t   *testing.T
	app *app.App
	url string
}

// backends are the setups every end-to-end test runs against.
var backends = []string{"sqlite", "postgres"}

// start runs the ledger on backend ("sqlite" or "postgres") until the test ends.
func start(t *testing.T, backend string) *testLedger {
	t.Helper()
	l := apptest.Start(t, apptest.Config(t, backend))
	return &testLedger{t: t, app: l.App, url: l.URL}
}

// token mints a token for sub with role, acting for org.
func (l *testLedger) token(sub string, role domain.Role, org string) string {
	l.t.Helper()
	tok, err := l.app.MintToken(sub, []domain.Role{role}, org, time.Hour)
	if err != nil {
		l.t.Fatal(err)
	}
	return tok
}

// response is an answer as a test reads it.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic map.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// do sends a request; body may be a string (sent as is) or a value (sent as JSON).
func (l *testLedger) do(method, path, token string, body any, headers ...string) response {
	l.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			l.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, l.url+path, rd)
	if err != nil {
		l.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		l.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: raw}
}

// must sends a request and fails the test unless it is answered with status.
func (l *testLedger) must(status int, method, path, token string, body any, headers ...string) map[string]any {
	l.t.Helper()
	r := l.do(method, path, token, body, headers...)
	if r.status != status {
		l.t.Fatalf("%s %s: got %d, want %d: %s", method, path, r.status, status, r.body)
	}
	return r.json(l.t)
}

// size is the number of events in the log.
func (l *testLedger) size() uint64 {
	l.t.Helper()
	n, err := l.app.Backend.Size(context.Background())
	if err != nil {
		l.t.Fatal(err)
	}
	return n
}

// world is a small registry of records made through the API.
type world struct {
	admin, issuer, otherIssuer string
	oid, otherOID              string
	participant                string
	mobility                   string
	outcomes                   []string
}

// seed registers two organisations, one participant and a planned mobility.
func seed(l *testLedger) world {
	w := world{oid: "E10208051", otherOID: "E10154720"}
	w.admin = l.token("admin-1", domain.RoleAdmin, "")
	w.issuer = l.token("issuer-1", domain.RoleIssuer, w.oid)
	w.otherIssuer = l.token("issuer-2", domain.RoleIssuer, w.otherOID)
	l.must(201, "POST", "/v1/organisations", w.admin, map[string]any{"oid": w.oid, "name": "Kita Sonnenblume", "country": "DE", "kind": "ecec_centre",
		"accreditation": "2021-1-DE02-KA120-SCH-000012345"})
	l.must(201, "POST", "/v1/organisations", w.admin, map[string]any{"oid": w.otherOID, "name": "Scuola Arcobaleno", "country": "IT"})
	p := l.must(201, "POST", "/v1/participants", w.issuer, map[string]any{"given_name": "Zofia", "family_name": "Quellenberg",
		"email": "zofia.quellenberg@example.org", "birth_date": "1987-03-09", "role": "ecec_core_practitioner"})
	w.participant = p["id"].(string)
	m := l.must(201, "POST", "/v1/mobilities", w.issuer, agreement(w.participant))
	w.mobility = m["id"].(string)
	for _, o := range m["planned_outcomes"].([]any) {
		w.outcomes = append(w.outcomes, o.(map[string]any)["id"].(string))
	}
	return w
}

func agreement(participant string) map[string]any {
	return map[string]any{"participant_id": participant, "host": map[string]any{"name": "Päiväkoti Tähti", "country": "FI"},
		"activity": "job_shadowing", "start_date": "2025-03-10", "end_date": "2025-03-19",
		"project_code": "2024-1-DE02-KA121-SCH-000123456", "language": "en",
		"planned_outcomes": []map[string]any{
			{"title": "Outdoor learning", "eqf_level": 5, "esco_uri": "http://data.europa.eu/esco/skill/b4bd9ac5-1d52-4f74-a2bd-0ba9ac0f84f1"},
			{"title": "Pedagogical documentation", "description": "Learning stories", "eqf_level": 4},
		}}
}

func completion(w world) map[string]any {
	return map[string]any{"start_date": "2025-03-10", "end_date": "2025-03-19", "hours": 60, "ects": 2,
		"outcomes": []map[string]any{{"outcome_id": w.outcomes[0], "result": "achieved"}, {"outcome_id": w.outcomes[1], "result": "partially_achieved", "evidence": "portfolio"}}}
}
