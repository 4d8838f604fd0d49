package credentials

import (
	"context"
	"testing"
)

// BenchmarkSign measures issuing's CPU work: building an Open Badges
// credential and signing it as a VC-JWT.
func BenchmarkSign(b *testing.B) {
	w := newWorld(b)
	badge := w.badge("c1")
	b.ReportAllocs()
	for b.Loop() {
		c, err := BuildBadge(badge)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.signer.SignCredential(c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
}

// BenchmarkVerify measures a verification with every check passing, the ports
// answering from memory: parsing, the ES256 signature and the checks.
func BenchmarkVerify(b *testing.B) {
	w := newWorld(b)
	token := w.issue(w.badge("c1"))
	v := w.verifier()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r, err := v.Verify(ctx, token, verifyTime)
		if err != nil || !r.Valid {
			b.Fatalf("%+v, %v", r, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
}
