package credentials

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
)

// TestStatusListCredential signs a status list and reads it back as a
// verifier would, decoding encodedList without the statuslist package.
func TestStatusListCredential(t *testing.T) {
	w := newWorld(t)
	set := []int{0, 13, 94567, statuslist.MinSize - 1}
	listURL := w.urls.StatusList("revocation-list")
	c, err := BuildStatusList(StatusList{URL: listURL, IssuerID: w.issuer.ID, Purpose: statuslist.Revocation,
		Size: statuslist.MinSize, Set: set, ValidFrom: verifyTime})
	if err != nil {
		t.Fatal(err)
	}
	token, err := w.signer.SignStatusList(c)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePresented(token)
	if err != nil {
		t.Fatal(err)
	}
	if _, sig := w.verifier().checkSignature(t.Context(), p); !sig.OK {
		t.Fatalf("the list's signature does not verify: %s", sig.Detail)
	}
	var payload struct {
		Context           []string `json:"@context"`
		Type              []string
		ID, Issuer, Iss   string
		Jti, Sub          string
		Nbf               int64
		CredentialSubject struct {
			ID, Type, StatusPurpose, EncodedList string
		}
	}
	decodePart(t, token, 1, &payload)
	s := payload.CredentialSubject
	if payload.ID != listURL || payload.Jti != listURL || payload.Issuer != w.issuer.ID || payload.Iss != w.issuer.ID ||
		payload.Nbf != verifyTime.Unix() || s.ID != payload.Sub || s.Type != "BitstringStatusList" || s.StatusPurpose != "revocation" ||
		strings.Join(payload.Type, ",") != "VerifiableCredential,BitstringStatusListCredential" || payload.Context[0] != ContextVC {
		t.Errorf("status list credential %+v", payload)
	}
	bits := gunzipList(t, s.EncodedList)
	if len(bits)*8 != statuslist.MinSize {
		t.Fatalf("list of %d bits, want %d", len(bits)*8, statuslist.MinSize)
	}
	for _, i := range []int{0, 1, 12, 13, 14, 94566, 94567, 94568, statuslist.MinSize - 1} {
		want := i == 0 || i == 13 || i == 94567 || i == statuslist.MinSize-1
		if got := bits[i/8]&(0x80>>(i%8)) != 0; got != want {
			t.Errorf("bit %d = %v, want %v", i, got, want)
		}
	}
}

func gunzipList(t *testing.T, encoded string) []byte {
	t.Helper()
	z, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(encoded, "u"))
	if err != nil || encoded[0] != 'u' {
		t.Fatalf("encodedList %.20q: %v", encoded, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestBuildStatusListRefuses(t *testing.T) {
	good := StatusList{URL: "https://l.example/v1/status-lists/x", IssuerID: "https://l.example/v1/organisations/E10208051",
		Purpose: statuslist.Suspension, Size: statuslist.MinSize, Set: []int{1}, ValidFrom: verifyTime}
	tests := []struct {
		name   string
		change func(*StatusList)
	}{
		{"unknown purpose", func(l *StatusList) { l.Purpose = "message" }},
		{"too small", func(l *StatusList) { l.Size = 1024 }},
		{"index beyond the list", func(l *StatusList) { l.Set = []int{statuslist.MinSize} }},
		{"negative index", func(l *StatusList) { l.Set = []int{-1} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := good
			tt.change(&l)
			if _, err := BuildStatusList(l); err == nil {
				t.Error("BuildStatusList accepted it")
			}
		})
	}
	if _, err := BuildStatusList(good); err != nil {
		t.Errorf("BuildStatusList refused a good list: %v", err)
	}
}
