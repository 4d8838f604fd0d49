package credentials

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
)

// scenario is one verification: a world, a token made in it, and the checks
// that must fail.
type scenario struct {
	name       string
	token      func(w *world) string
	at         time.Time
	failing    []string
	wantStatus credential.Status
	wantDetail string // in the first failing check's detail
}

func TestVerify(t *testing.T) {
	t.Parallel()
	tests := []scenario{
		{name: "issued credential", token: func(w *world) string { return w.issue(w.badge("c1")) },
			wantStatus: credential.StatusActive},
		{name: "verified as of its issuance", at: issueTime, token: func(w *world) string { return w.issue(w.badge("c1")) },
			wantStatus: credential.StatusActive},
		{name: "revoked", token: func(w *world) string {
			token := w.issue(w.badge("c1"))
			w.status[w.urls.StatusList("revocation-list")][94567] = true
			return token
		}, failing: []string{CheckStatus}, wantStatus: credential.StatusRevoked, wantDetail: "Revoked by its issuer"},
		{name: "suspended", token: func(w *world) string {
			token := w.issue(w.badge("c1"))
			w.status[w.urls.StatusList("suspension-list")][1234] = true
			return token
		}, failing: []string{CheckStatus}, wantStatus: credential.StatusSuspended, wantDetail: "suspended by its issuer"},
		{name: "status list unknown", token: func(w *world) string {
			token := w.issue(w.badge("c1"))
			delete(w.status, w.urls.StatusList("suspension-list"))
			return token
		}, failing: []string{CheckStatus}, wantStatus: StatusUnknown, wantDetail: "suspension status could not be determined"},
		{name: "no status entries", token: func(w *world) string {
			b := w.badge("c1")
			b.Status = nil
			return w.issue(b)
		}, failing: []string{CheckStatus}, wantStatus: StatusUnknown, wantDetail: "no revocation entry"},
		{name: "suspension entry only", token: func(w *world) string {
			b := w.badge("c1")
			b.Status = b.Status[1:]
			return w.issue(b)
		}, failing: []string{CheckStatus}, wantStatus: StatusUnknown, wantDetail: "no revocation entry"},
		{name: "expired", token: func(w *world) string {
			b := w.badge("c1")
			until := verifyTime.Add(-time.Hour)
			b.ValidUntil = &until
			return w.issue(b)
		}, failing: []string{CheckExpiry}, wantStatus: credential.StatusExpired, wantDetail: "Expired on"},
		{name: "not expired yet", token: func(w *world) string {
			b := w.badge("c1")
			until := verifyTime.Add(time.Hour)
			b.ValidUntil = &until
			return w.issue(b)
		}, wantStatus: credential.StatusActive},
		{name: "verified before it is valid", at: issueTime.Add(-time.Second), token: func(w *world) string { return w.issue(w.badge("c1")) },
			failing: []string{CheckExpiry, CheckLedger}, wantStatus: credential.StatusActive, wantDetail: "Not valid before"},
		{name: "tampered payload", token: func(w *world) string {
			return tamper(w.t, w.issue(w.badge("c1")), func(p map[string]any) {
				p["name"] = "Erasmus+ mobility: Doctorate in medicine"
			})
		}, failing: allChecks(), wantStatus: StatusUnknown, wantDetail: "does not match"},
		{name: "swapped signature", token: func(w *world) string {
			a := w.issue(w.badge("c1"))
			b := w.issue(w.badge("c2"))
			return a[:strings.LastIndex(a, ".")] + b[strings.LastIndex(b, "."):]
		}, failing: allChecks(), wantStatus: StatusUnknown, wantDetail: "does not match"},
		{name: "alg none", token: func(w *world) string {
			return resign(w.t, w.issue(w.badge("c1")), jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, w.signer.Kid)
		}, failing: allChecks(), wantStatus: StatusUnknown, wantDetail: `algorithm "none" is not accepted`},
		{name: "HS256 with the public key as secret", token: func(w *world) string {
			return resign(w.t, w.issue(w.badge("c1")), jwt.SigningMethodHS256, publicPEM(w.t, &w.key.PublicKey), w.signer.Kid)
		}, failing: allChecks(), wantStatus: StatusUnknown, wantDetail: `algorithm "HS256" is not accepted`},
		{name: "RS256 with the kid copied", token: func(w *world) string {
			rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				w.t.Fatal(err)
			}
			return resign(w.t, w.issue(w.badge("c1")), jwt.SigningMethodRS256, rsaKey, w.signer.Kid)
		}, failing: allChecks(), wantStatus: StatusUnknown, wantDetail: `algorithm "RS256" is not accepted`},
		{name: "unknown kid", token: func(w *world) string {
			return w.sign(Signer{Kid: w.urls.Key("key-9"), Key: w.key}, w.badge("c1"))
		}, failing: allChecks(), wantStatus: StatusUnknown, wantDetail: "not one of the ledger's signing keys"},
		{name: "unknown kid, very long", token: func(w *world) string {
			return w.sign(Signer{Kid: w.urls.Key(strings.Repeat("k", 500)), Key: w.key}, w.badge("c1"))
		}, failing: allChecks(), wantStatus: StatusUnknown, wantDetail: "kkk…\" is not one of"},
		{name: "no kid", token: func(w *world) string {
			return resign(w.t, w.issue(w.badge("c1")), jwt.SigningMethodES256, w.key, "")
		}, failing: allChecks(), wantStatus: StatusUnknown, wantDetail: "names no key"},
		{name: "foreign key with the kid copied", token: func(w *world) string {
			forger, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			if err != nil {
				w.t.Fatal(err)
			}
			return w.sign(Signer{Kid: w.signer.Kid, Key: forger}, w.badge("c1"))
		}, failing: allChecks(), wantStatus: StatusUnknown, wantDetail: "does not match"},
		{name: "signed after the key's revocation", token: func(w *world) string {
			w.revokeKey("key-1", issueTime.Add(-time.Hour))
			return w.issue(w.badge("c1"))
		}, failing: []string{CheckIssuer}, wantStatus: credential.StatusActive, wantDetail: "was revoked on"},
		{name: "signed before the key's revocation", token: func(w *world) string {
			w.revokeKey("key-1", issueTime.Add(time.Hour))
			return w.issue(w.badge("c1"))
		}, wantStatus: credential.StatusActive},
		{name: "backdated before the key existed", token: func(w *world) string {
			b := w.badge("c1")
			b.ValidFrom = keyTime.Add(-24 * time.Hour)
			return w.issue(b)
		}, failing: []string{CheckIssuer}, wantStatus: credential.StatusActive, wantDetail: "before its key"},
		{name: "old key after rotation", token: func(w *world) string {
			token := w.issue(w.badge("c1"))
			w.addKey("key-2", issueTime.Add(time.Hour))
			return token
		}, wantStatus: credential.StatusActive},
		{name: "new key after rotation", token: func(w *world) string {
			priv := w.addKey("key-2", issueTime.Add(-time.Hour))
			token := w.sign(Signer{Kid: w.urls.Key("key-2"), Key: priv}, w.badge("c1"))
			w.record(w.urls.Credential("c1"), token)
			return token
		}, wantStatus: credential.StatusActive},
		{name: "key of an unregistered organisation", token: func(w *world) string {
			token := w.issue(w.badge("c1"))
			k := w.keys[w.signer.Kid]
			k.Issuer = Issuer{}
			w.keys[w.signer.Kid] = k
			return token
		}, failing: []string{CheckIssuer}, wantStatus: credential.StatusActive, wantDetail: "not a registered organisation"},
		{name: "issuer named is not the key's", token: func(w *world) string {
			b := w.badge("c1")
			b.Issuer.ID = w.urls.Organisation("E10151149")
			return w.issue(b)
		}, failing: []string{CheckIssuer}, wantStatus: credential.StatusActive, wantDetail: "but its key belongs to"},
		{name: "not recorded in the ledger", token: func(w *world) string {
			return w.sign(w.signer, w.badge("c1"))
		}, failing: []string{CheckLedger}, wantStatus: credential.StatusActive, wantDetail: "no record"},
		{name: "re-signed by the issuer, not as issued", token: func(w *world) string {
			w.issue(w.badge("c1"))
			return w.sign(w.signer, w.badge("c1"))
		}, failing: []string{CheckLedger}, wantStatus: credential.StatusActive, wantDetail: "not byte-identical"},
		{name: "malleated signature", token: func(w *world) string {
			return malleate(w.t, w.issue(w.badge("c1")))
		}, failing: []string{CheckLedger}, wantStatus: credential.StatusActive, wantDetail: "not byte-identical"},
		{name: "nbf and validFrom disagree", token: func(w *world) string {
			return w.issueTampered(func(p map[string]any) { p["nbf"] = issueTime.Unix() + 60 })
		}, failing: []string{CheckExpiry}, wantStatus: credential.StatusActive, wantDetail: "disagree"},
		{name: "exp without validUntil", token: func(w *world) string {
			return w.issueTampered(func(p map[string]any) { p["exp"] = verifyTime.Unix() + 60 })
		}, failing: []string{CheckExpiry}, wantStatus: credential.StatusActive, wantDetail: "disagree"},
		{name: "malformed iss", token: func(w *world) string {
			return w.issueTampered(func(p map[string]any) { p["iss"] = []string{w.issuer.ID} })
		}, failing: []string{CheckIssuer}, wantStatus: credential.StatusActive, wantDetail: "issuer is malformed"},
		{name: "malformed validFrom", token: func(w *world) string {
			return w.issueTampered(func(p map[string]any) { p["validFrom"] = "14 March 2025" })
		}, failing: []string{CheckExpiry}, wantStatus: credential.StatusActive, wantDetail: "validFrom is malformed"},
		{name: "jti and id disagree", token: func(w *world) string {
			return w.issueTampered(func(p map[string]any) { p["jti"] = w.urls.Credential("c9") })
		}, failing: []string{CheckLedger}, wantStatus: credential.StatusActive, wantDetail: "disagree"},
		{name: "malformed status index", token: func(w *world) string {
			return w.issueTampered(func(p map[string]any) {
				p["credentialStatus"].([]any)[0].(map[string]any)["statusListIndex"] = "-5"
			})
		}, failing: []string{CheckStatus}, wantStatus: StatusUnknown, wantDetail: "not a well-formed"},
		{name: "status entry of an unknown purpose", token: func(w *world) string {
			return w.issueTampered(func(p map[string]any) {
				p["credentialStatus"].([]any)[1].(map[string]any)["statusPurpose"] = "message"
			})
		}, failing: []string{CheckStatus}, wantStatus: StatusUnknown, wantDetail: "cannot be checked"},
		{name: "single status entry as an object", token: func(w *world) string {
			return w.issueTampered(func(p map[string]any) { p["credentialStatus"] = p["credentialStatus"].([]any)[0] })
		}, wantStatus: credential.StatusActive},
		{name: "credentialStatus not an entry", token: func(w *world) string {
			return w.issueTampered(func(p map[string]any) { p["credentialStatus"] = 42 })
		}, failing: []string{CheckStatus}, wantStatus: StatusUnknown, wantDetail: "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			token := tt.token(w)
			got, err := w.verifier().Verify(context.Background(), token, tt.at)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			tt.check(t, got)
		})
	}
}

func (tt scenario) check(t *testing.T, got Verification) {
	t.Helper()
	var names, failing []string
	for _, c := range got.Checks {
		names = append(names, c.Name)
		if !c.OK {
			failing = append(failing, c.Name)
		}
		if c.Detail == "" {
			t.Errorf("check %s has no detail", c.Name)
		}
	}
	if !slices.Equal(names, allChecks()) {
		t.Errorf("checks %q, want %q", names, allChecks())
	}
	if !slices.Equal(failing, tt.failing) {
		t.Errorf("failing checks %q, want %q; checks: %+v", failing, tt.failing, got.Checks)
	}
	if got.Valid != (len(tt.failing) == 0) {
		t.Errorf("valid = %v with failing checks %q", got.Valid, failing)
	}
	if got.Status != tt.wantStatus {
		t.Errorf("status %q, want %q", got.Status, tt.wantStatus)
	}
	if len(failing) > 0 {
		first, _ := got.Check(failing[0])
		if !strings.Contains(first.Detail, tt.wantDetail) {
			t.Errorf("%s detail %q does not contain %q", first.Name, first.Detail, tt.wantDetail)
		}
	}
}

func allChecks() []string {
	return []string{CheckSignature, CheckIssuer, CheckStatus, CheckExpiry, CheckLedger}
}

func TestVerifyDefaultsToNow(t *testing.T) {
	w := newWorld(t)
	token := w.issue(w.badge("c1"))
	got, err := w.verifier().Verify(context.Background(), token, time.Time{})
	if err != nil || !got.At.Equal(verifyTime) || !got.Valid {
		t.Fatalf("Verify = %+v, %v; want valid as of %s", got, err, verifyTime)
	}
	if got.Issuer != w.issuer {
		t.Errorf("issuer %+v, want %+v", got.Issuer, w.issuer)
	}
}

func TestVerifyLedgerUnreachable(t *testing.T) {
	w := newWorld(t)
	token := w.issue(w.badge("c1"))
	v := w.verifier()
	v.Ledger = brokenLedger{}
	got, err := v.Verify(context.Background(), token, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := got.Check(CheckLedger)
	if got.Valid || c.OK || strings.Contains(c.Detail, "connection refused") {
		t.Errorf("ledger check %+v: want a failure that does not leak the cause", c)
	}
}

func TestVerifyRejectsGarbage(t *testing.T) {
	w := newWorld(t)
	for _, in := range []string{"", "hello", "a.b", "not base64!.e30.", "e30.e30"} {
		_, err := w.verifier().Verify(context.Background(), in, time.Time{})
		if !errors.Is(err, ErrNotJWT) || !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("Verify(%q) error %v, want ErrNotJWT", in, err)
		}
	}
}

// issueTampered issues a credential whose payload f changed, signed by the
// world's key and recorded as issued: a token the issuer itself made badly.
func (w *world) issueTampered(f func(map[string]any)) string {
	w.t.Helper()
	token := resign(w.t, tamper(w.t, w.sign(w.signer, w.badge("c1")), f), jwt.SigningMethodES256, w.key, w.signer.Kid)
	w.record(w.urls.Credential("c1"), token)
	return token
}

// tamper changes token's payload with f and keeps its signature.
func tamper(t testing.TB, token string, f func(map[string]any)) string {
	t.Helper()
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	f(p)
	raw, err = json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}

// resign signs token's payload anew with method and key, naming kid.
func resign(t testing.TB, token string, method jwt.SigningMethod, key any, kid string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims jwt.MapClaims
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// publicPEM is the public key as the PEM an attacker would use as HMAC secret.
func publicPEM(t testing.TB, pub *ecdsa.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// malleate replaces the signature (r, s) by (r, n-s), which is just as valid.
func malleate(t testing.TB, token string) string {
	t.Helper()
	i := strings.LastIndex(token, ".")
	sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil || len(sig) != 64 {
		t.Fatalf("signature: %v", err)
	}
	s := new(big.Int).SetBytes(sig[32:])
	s.Sub(elliptic.P256().Params().N, s)
	s.FillBytes(sig[32:])
	return token[:i+1] + base64.RawURLEncoding.EncodeToString(sig)
}
