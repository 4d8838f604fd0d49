package credentials

import (
	"context"
	"errors"
	"testing"
)

// FuzzParsePresented feeds the presented-credential parser, and the verifier
// behind it, arbitrary input: neither may panic, the parser refuses only with
// ErrNotJWT, and only the very token the world issued verifies: the fuzzer
// cannot sign with the world's key.
func FuzzParsePresented(f *testing.F) {
	w := newWorld(f)
	f.Add(w.issue(w.badge("c1")))
	f.Add(b64(`{"alg":"none"}`) + "." + b64(`{"jti":"x"}`) + ".")
	f.Add("not a credential")
	v := w.verifier()
	f.Fuzz(func(t *testing.T, in string) {
		p, err := ParsePresented(in)
		if err != nil {
			if !errors.Is(err, ErrNotJWT) {
				t.Fatalf("error %v does not wrap ErrNotJWT", err)
			}
			return
		}
		again, err := ParsePresented(p.Token)
		if err != nil || again.Token != p.Token {
			t.Fatalf("parsing the parsed token again: %v", err)
		}
		r := v.VerifyPresented(context.Background(), p, verifyTime)
		if len(r.Checks) != 5 {
			t.Fatalf("%d checks, want 5", len(r.Checks))
		}
		for _, c := range r.Checks {
			if c.Detail == "" {
				t.Fatalf("check %s has no detail", c.Name)
			}
		}
		if r.Valid && !w.recorded(p.Token) {
			t.Fatalf("a token the world never issued verifies: %q", p.Token)
		}
	})
}

// recorded reports whether token is one the world's ledger recorded.
func (w *world) recorded(token string) bool {
	for _, r := range w.ledger {
		if r.TokenSHA256 == TokenSHA256(token) {
			return true
		}
	}
	return false
}
