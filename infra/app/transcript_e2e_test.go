package app_test

import (
	"bytes"
	"encoding/base64"
	"html"
	"image/png"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

func TestTranscript(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l := start(t, backend)
			w := seedCredentials(l)
			beforeRecognition := time.Now().UTC()
			time.Sleep(20 * time.Millisecond)
			l.must(200, "POST", "/v1/mobilities/"+w.mobility+"/recognition", w.issuer, map[string]any{"decision": "full", "note": "Counted as 60 hours of CPD"})
			cred := issue(l, w.issuer, w.mobility)
			staff := l.token(w.participant, "staff", "")

			tr := l.must(200, "GET", "/v1/me/transcript", staff, nil)
			checkTranscript(t, l, tr, w, cred.id)
			path := "/v1/participants/" + w.participant + "/transcript"
			for _, tok := range []string{w.issuer, w.admin, l.token("auditor-1", "auditor", "")} {
				checkTranscript(t, l, l.must(200, "GET", path, tok, nil), w, cred.id)
			}
			l.must(403, "GET", path, w.otherIssuer, nil)
			l.must(403, "GET", path, l.token("someone-else", "staff", ""), nil)
			l.must(401, "GET", path, "", nil)
			l.must(404, "GET", "/v1/participants/par_nobody/transcript", w.admin, nil)
			l.must(400, "GET", path+"?as_of=yesterday", w.admin, nil)

			then := l.must(200, "GET", path+"?as_of="+url.QueryEscape(beforeRecognition.Format(time.RFC3339Nano)), w.admin, nil)
			m := then["mobilities"].([]any)[0].(map[string]any)
			if m["state"] != "completed" || m["recognition"] != nil || len(m["credentials"].([]any)) != 0 {
				t.Errorf("as of before the recognition: state %v, recognition %v, credentials %v", m["state"], m["recognition"], m["credentials"])
			}
			if then["as_of"] == nil {
				t.Errorf("a transcript as of a time does not say so: %v", then)
			}
		})
	}
}

// checkTranscript checks the transcript of the credential world w after
// recognition and issuance of credential id.
func checkTranscript(t *testing.T, l *testLedger, tr map[string]any, w credentialWorld, id string) {
	t.Helper()
	holder := tr["holder"].(map[string]any)
	if holder["name"] != "Zofia Quellenberg" || holder["organisation"].(map[string]any)["name"] != "Kita Sonnenblume" || tr["erased"] != false {
		t.Fatalf("holder: %v", tr)
	}
	ms := tr["mobilities"].([]any)
	if len(ms) != 1 {
		t.Fatalf("%d mobilities, want 1", len(ms))
	}
	m := ms[0].(map[string]any)
	host := m["host"].(map[string]any)
	if m["id"] != w.mobility || m["state"] != "recognised" || host["name"] != "Päiväkoti Tähti" || host["country"] != "FI" ||
		m["sending"].(map[string]any)["oid"] != w.oid || m["activity"] != "job_shadowing" || m["duration_days"] != 10.0 ||
		m["hours"] != 60.0 || m["ects"] != 2.0 || m["recognition"].(map[string]any)["decision"] != "full" {
		t.Errorf("mobility: %v", m)
	}
	results := map[string]string{}
	for _, o := range m["outcomes"].([]any) {
		o := o.(map[string]any)
		results[o["title"].(string)] = o["result"].(string)
	}
	if results["Outdoor learning"] != "achieved" || results["Pedagogical documentation"] != "partially_achieved" {
		t.Errorf("outcomes: %v", m["outcomes"])
	}
	creds := m["credentials"].([]any)
	if len(creds) != 1 {
		t.Fatalf("credentials: %v", creds)
	}
	c := creds[0].(map[string]any)
	if c["id"] != id || c["status"] != "active" || c["verify_url"] != l.url+"/verify/"+id {
		t.Errorf("credential: %v", c)
	}
}

func TestTranscriptPage(t *testing.T) {
	t.Parallel()
	l := start(t, "sqlite")
	w := seedCredentials(l)
	first := issue(l, w.issuer, w.mobility)
	second := completedMobility(l, w.world)
	l.must(200, "POST", "/v1/mobilities/"+second+"/recognition", w.issuer, map[string]any{"decision": "partial"})
	other := issue(l, w.issuer, second)
	l.must(200, "POST", "/v1/credentials/"+first.id+"/revocation", w.issuer, map[string]any{"reason": "issued twice"})

	r := l.do("GET", "/v1/me/transcript", l.token(w.participant, "staff", ""), nil, "Accept", "text/html,application/xhtml+xml;q=0.9")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET transcript as HTML: %d %s", r.status, r.header.Get("Content-Type"))
	}
	page := html.UnescapeString(string(r.body))
	for _, want := range []string{"Zofia Quellenberg", "Kita Sonnenblume", "Päiväkoti Tähti", `id="` + w.mobility + `"`, `id="` + second + `"`,
		"Outdoor learning", "Achieved", "Partially achieved", "No recognition decision recorded.",
		"Recognition decision of the sending organisation: <strong>Partial", "Revoked", "Active", "@page { size: A4",
		"2025-03-10 to 2025-03-19 (10 days)", "2 ECTS"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	got := qrCodes(t, []byte(page))
	want := []string{l.url + "/verify/" + first.id, l.url + "/verify/" + other.id}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("QR codes lead to %v, want %v", got, want)
	}
}

// qrImage matches the QR code images of a transcript page.
var qrImage = regexp.MustCompile(`src="data:image/png;base64,([A-Za-z0-9+/=]+)"`)

// qrCodes decodes every QR code image of page (HTML-unescaped), in order.
func qrCodes(t *testing.T, page []byte) []string {
	t.Helper()
	var out []string
	for _, m := range qrImage.FindAllSubmatch(page, -1) {
		raw, err := base64.StdEncoding.DecodeString(string(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			t.Fatalf("QR code does not decode: %v", err)
		}
		out = append(out, res.GetText())
	}
	return out
}

func TestTranscriptShares(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l := start(t, backend)
			w := seed(l)
			staff := l.token(w.participant, "staff", "")
			sh := l.must(201, "POST", "/v1/me/transcript/shares", staff, map[string]any{"expires_in": 3600})
			link := strings.TrimPrefix(sh["url"].(string), l.url)
			shown := l.must(200, "GET", link, "", nil)
			if shown["holder"].(map[string]any)["name"] != "Zofia Quellenberg" || len(shown["mobilities"].([]any)) != 1 {
				t.Fatalf("shared transcript: %v", shown)
			}
			if r := l.do("GET", link, "", nil, "Accept", "text/html"); r.status != 200 || !bytes.Contains(r.body, []byte("Zofia Quellenberg")) {
				t.Errorf("shared page: %d", r.status)
			}
			list := l.must(200, "GET", "/v1/me/transcript/shares", staff, nil)
			if n := len(list["shares"].([]any)); n != 1 {
				t.Errorf("%d shares listed, want 1", n)
			}
			l.must(403, "POST", "/v1/me/transcript/shares", w.issuer, nil)
			if r := l.do("DELETE", "/v1/me/transcript/shares/"+sh["id"].(string), l.token("par_other", "staff", ""), nil); r.status != 404 {
				t.Errorf("another participant revoked the share: %d", r.status)
			}
			if r := l.do("DELETE", "/v1/me/transcript/shares/"+sh["id"].(string), staff, nil); r.status != 204 {
				t.Fatalf("revoke: %d %s", r.status, r.body)
			}
			l.must(404, "GET", link, "", nil)

			short := l.must(201, "POST", "/v1/me/transcript/shares", staff, map[string]any{"expires_in": 1})
			time.Sleep(1100 * time.Millisecond)
			l.must(404, "GET", strings.TrimPrefix(short["url"].(string), l.url), "", nil)
			l.must(400, "POST", "/v1/me/transcript/shares", staff, map[string]any{"expires_in": 365 * 86400})
		})
	}
}

func TestErasedTranscript(t *testing.T) {
	t.Parallel()
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			l := start(t, backend)
			w := seed(l)
			before := time.Now().UTC()
			time.Sleep(20 * time.Millisecond)
			l.must(202, "POST", "/v1/participants/"+w.participant+"/erasure", w.issuer, nil)
			path := "/v1/participants/" + w.participant + "/transcript"
			for _, q := range []string{"", "?as_of=" + url.QueryEscape(before.Format(time.RFC3339Nano))} {
				tr := l.must(200, "GET", path+q, w.admin, nil)
				if tr["erased"] != true || len(tr["mobilities"].([]any)) != 0 || tr["holder"].(map[string]any)["name"] != "(erased)" {
					t.Errorf("transcript%s of an erased participant: %v", q, tr)
				}
			}
			r := l.do("GET", path, w.admin, nil, "Accept", "text/html")
			if r.status != 200 || !bytes.Contains(r.body, []byte("has been erased")) || bytes.Contains(r.body, []byte("Outdoor learning")) {
				t.Errorf("erased page: %d %s", r.status, r.body)
			}
		})
	}
}

func TestProjectionsReadyAndMeasured(t *testing.T) {
	t.Parallel()
	l := start(t, "sqlite")
	seed(l)
	ready := l.must(200, "GET", "/readyz", "", nil)
	if ready["ready"] != true {
		t.Fatalf("readyz: %v", ready)
	}
	r := l.do("GET", "/metrics", "", nil)
	for _, want := range []string{`ledger_projection_position{projection="transcript"}`, `ledger_projection_lag{projection="directory"}`} {
		if !bytes.Contains(r.body, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
