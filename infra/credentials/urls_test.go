package credentials

import "testing"

func TestURLs(t *testing.T) {
	u, err := NewURLs("https://ledger.example.eu/base/")
	if err != nil {
		t.Fatal(err)
	}
	made := []struct{ got, want string }{
		{u.Key("k1"), "https://ledger.example.eu/base/v1/keys/k1"},
		{u.StatusList("l1"), "https://ledger.example.eu/base/v1/status-lists/l1"},
		{u.Credential("c1"), "https://ledger.example.eu/base/v1/credentials/c1"},
		{u.Organisation("E10208051"), "https://ledger.example.eu/base/v1/organisations/E10208051"},
		{u.Participant("p1"), "https://ledger.example.eu/base/v1/participants/p1"},
		{u.Mobility("m1"), "https://ledger.example.eu/base/v1/mobilities/m1"},
		{u.Verify("c1"), "https://ledger.example.eu/base/verify/c1"},
		{u.Base(), "https://ledger.example.eu/base"},
	}
	for _, m := range made {
		if m.got != m.want {
			t.Errorf("got %q, want %q", m.got, m.want)
		}
	}
	read := []struct {
		name  string
		parse func(string) (string, bool)
		in    string
		want  string
	}{
		{"kid", u.KeyID, "https://ledger.example.eu/base/v1/keys/k1", "k1"},
		{"kid of another ledger", u.KeyID, "https://evil.example/base/v1/keys/k1", ""},
		{"kid with a path", u.KeyID, "https://ledger.example.eu/base/v1/keys/k1/x", ""},
		{"kid with a query", u.KeyID, "https://ledger.example.eu/base/v1/keys/k1?x", ""},
		{"empty kid", u.KeyID, "https://ledger.example.eu/base/v1/keys/", ""},
		{"status list", u.StatusListID, "https://ledger.example.eu/base/v1/status-lists/l1", "l1"},
		{"status list as a key", u.StatusListID, "https://ledger.example.eu/base/v1/keys/l1", ""},
		{"credential", u.CredentialID, "https://ledger.example.eu/base/v1/credentials/c-1", "c-1"},
	}
	for _, r := range read {
		got, ok := r.parse(r.in)
		if got != r.want || ok != (r.want != "") {
			t.Errorf("%s: got %q, %v; want %q", r.name, got, ok, r.want)
		}
	}
}

func TestNewURLsRefuses(t *testing.T) {
	for _, base := range []string{"", "ledger.example.eu", "/v1", "ftp://ledger.example.eu", "https://ledger.example.eu/?a=b", "https://ledger.example.eu/#x", "https://"} {
		if _, err := NewURLs(base); err == nil {
			t.Errorf("NewURLs(%q) accepted", base)
		}
	}
}
