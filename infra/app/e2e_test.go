package app_test

import (
	"context"
	"strings"
	"testing"
)

func TestMobilityLifeCycle(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l := start(t, backend)
			w := seed(l)
			path := "/v1/mobilities/" + w.mobility

			l.must(409, "POST", path+"/recognition", w.issuer, map[string]any{"decision": "full"})
			m := l.must(200, "POST", path+"/completion", w.issuer, completion(w))
			if m["state"] != "completed" {
				t.Fatalf("state after completion = %v", m["state"])
			}
			l.must(409, "POST", path+"/completion", w.issuer, completion(w))
			l.must(409, "POST", path+"/cancellation", w.issuer, map[string]any{"reason": "too late"})
			m = l.must(200, "POST", path+"/recognition", w.issuer, map[string]any{"decision": "partial", "note": "20 hours of CPD"})
			if m["state"] != "recognised" || m["recognition"].(map[string]any)["decision"] != "partial" {
				t.Fatalf("after recognition: %v", m)
			}

			staff := l.token(w.participant, "staff", "")
			got := l.must(200, "GET", path, staff, nil)
			if got["version"].(float64) != 3 || len(got["planned_outcomes"].([]any)) != 2 {
				t.Fatalf("staff read of own mobility: %v", got)
			}
			l.must(403, "GET", path, l.token("someone-else", "staff", ""), nil)
			l.must(403, "GET", path, w.otherIssuer, nil)
		})
	}
}

func TestCancelledMobilityCannotComplete(t *testing.T) {
	t.Parallel()
	l := start(t, "sqlite")
	w := seed(l)
	path := "/v1/mobilities/" + w.mobility
	l.must(200, "POST", path+"/cancellation", w.issuer, map[string]any{"reason": "host closed"})
	r := l.do("POST", path+"/completion", w.issuer, completion(w))
	if r.status != 409 || !strings.Contains(string(r.body), "cancel") {
		t.Fatalf("completion after cancellation: %d %s", r.status, r.body)
	}
}

func TestIdempotencyKeyReplaysFirstAnswer(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l := start(t, backend)
			w := seed(l)
			first := l.do("POST", "/v1/mobilities", w.issuer, agreement(w.participant), "Idempotency-Key", "agree-1")
			if first.status != 201 {
				t.Fatalf("first: %d %s", first.status, first.body)
			}
			size := l.size()
			again := l.do("POST", "/v1/mobilities", w.issuer, agreement(w.participant), "Idempotency-Key", "agree-1")
			if again.status != 201 || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("retry: %d %s (first %s)", again.status, again.body, first.body)
			}
			if l.size() != size {
				t.Fatalf("a retry recorded events: log grew from %d to %d", size, l.size())
			}
			other := agreement(w.participant)
			other["language"] = "fi"
			l.must(409, "POST", "/v1/mobilities", w.issuer, other, "Idempotency-Key", "agree-1")
			// The key belongs to its principal: another caller with the same key is a new request.
			admin := l.do("POST", "/v1/mobilities", w.admin, agreement(w.participant), "Idempotency-Key", "agree-1")
			if admin.status != 201 || string(admin.body) == string(first.body) {
				t.Fatalf("another principal's key: %d %s", admin.status, admin.body)
			}
		})
	}
}

func TestIfMatchRefusesStaleVersion(t *testing.T) {
	t.Parallel()
	l := start(t, "postgres")
	w := seed(l)
	path := "/v1/mobilities/" + w.mobility
	got := l.do("GET", path, w.issuer, nil)
	if got.header.Get("ETag") != `"1"` {
		t.Fatalf("ETag = %q, want \"1\"", got.header.Get("ETag"))
	}
	l.must(409, "POST", path+"/cancellation", w.issuer, map[string]any{"reason": "x"}, "If-Match", `"7"`)
	l.must(200, "POST", path+"/completion", w.issuer, completion(w), "If-Match", `"1"`)
	l.must(409, "POST", path+"/recognition", w.issuer, map[string]any{"decision": "full"}, "If-Match", `"1"`)
	l.must(200, "POST", path+"/recognition", w.issuer, map[string]any{"decision": "full"}, "If-Match", `"2"`)
}

func TestHealthReadinessMetricsContract(t *testing.T) {
	t.Parallel()
	l := start(t, "sqlite")
	w := seed(l)
	l.must(200, "GET", "/healthz", "", nil)
	if r := l.must(200, "GET", "/readyz", "", nil); r["ready"] != true {
		t.Fatalf("readyz: %v", r)
	}
	metrics := string(l.do("GET", "/metrics", "", nil).body)
	for _, name := range []string{"ledger_http_requests_total", "ledger_http_request_duration_seconds", "ledger_append_duration_seconds", "ledger_append_batch_size", "ledger_log_size"} {
		if !strings.Contains(metrics, name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	if spec := l.do("GET", "/openapi.yaml", "", nil); spec.status != 200 || !strings.Contains(string(spec.body), "/v1/mobilities/{id}/completion") {
		t.Errorf("/openapi.yaml: %d", spec.status)
	}
	auditor := l.token("auditor-1", "auditor", "")
	s := l.must(200, "GET", "/v1/streams/mobility-"+w.mobility, auditor, nil)
	if n := len(s["events"].([]any)); n != 1 {
		t.Fatalf("stream has %d events, want 1", n)
	}
	l.must(403, "GET", "/v1/streams/mobility-"+w.mobility, w.issuer, nil)
}

func TestNoPersonalDataInTheLogAndErasure(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l := start(t, backend)
			w := seed(l)
			secrets := []string{"Zofia", "Quellenberg", "zofia.quellenberg", "1987-03-09"}
			recs, err := l.app.Backend.ReadLog(context.Background(), 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range recs {
				for _, s := range secrets {
					if strings.Contains(string(r.Data), s) || strings.Contains(r.Meta.Actor, s) {
						t.Fatalf("event %d (%s) holds %q in clear: %s", r.Index, r.Type, s, r.Data)
					}
				}
			}
			path := "/v1/participants/" + w.participant
			if p := l.must(200, "GET", path, w.issuer, nil); p["family_name"] != "Quellenberg" {
				t.Fatalf("before erasure: %v", p)
			}
			l.must(403, "POST", path+"/erasure", w.otherIssuer, nil)
			before := l.size()
			l.must(202, "POST", path+"/erasure", w.issuer, nil)
			if l.size() != before+1 {
				t.Fatalf("erasure appended %d events, want 1", l.size()-before)
			}
			p := l.must(200, "GET", path, w.issuer, nil)
			if p["erased"] != true || p["family_name"] != nil || p["given_name"] != nil {
				t.Fatalf("after erasure: %v", p)
			}
			l.must(409, "POST", path+"/erasure", w.issuer, nil)
			after, err := l.app.Backend.ReadLog(context.Background(), 0, 1000)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range recs {
				if string(after[i].Data) != string(r.Data) {
					t.Fatalf("erasure changed event %d", r.Index)
				}
			}
			l.must(409, "POST", "/v1/mobilities", w.issuer, agreement(w.participant))
		})
	}
}

func TestErasureForgetsKeptAnswersWithPersonalData(t *testing.T) {
	t.Parallel()
	l := start(t, "sqlite")
	w := seed(l)
	l.must(201, "POST", "/v1/organisations/"+w.oid+"/keys", w.admin, nil)
	l.must(200, "POST", "/v1/mobilities/"+w.mobility+"/completion", w.issuer, completion(w))
	issue := "/v1/mobilities/" + w.mobility + "/credentials"
	first := l.must(201, "POST", issue, w.issuer, nil, "Idempotency-Key", "issue-1")
	if again := l.do("POST", issue, w.issuer, nil, "Idempotency-Key", "issue-1"); again.status != 201 || again.json(t)["jwt"] != first["jwt"] {
		t.Fatalf("retry before erasure: %d %s", again.status, again.body)
	}
	l.must(202, "POST", "/v1/participants/"+w.participant+"/erasure", w.issuer, nil)
	again := l.do("POST", issue, w.issuer, nil, "Idempotency-Key", "issue-1")
	if again.status == 201 || strings.Contains(string(again.body), first["jwt"].(string)) {
		t.Fatalf("after erasure the kept answer holding the holder's name was replayed: %d %.200s", again.status, again.body)
	}
}
