package credential

import (
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
)

// BenchmarkFold folds a credential's stream as every verification and
// status change does: issued, suspended and reinstated.
func BenchmarkFold(b *testing.B) {
	events := []domain.Event{issued(), Suspended{CredentialID: "cred-1", Reason: "Under review."},
		Reinstated{CredentialID: "cred-1", Reason: "Review completed."}}
	for b.Loop() {
		if c := Fold(events...); c.StatusAt(now) != StatusActive {
			b.Fatalf("status %q", c.StatusAt(now))
		}
	}
}

// BenchmarkDecideIssue decides on issuing a credential for a completed
// mobility with a valid signing key.
func BenchmarkDecideIssue(b *testing.B) {
	var c Credential
	cmd := goodIssue()
	for b.Loop() {
		if _, err := c.Issue(spec.Issuer, cmd, completed, signingKey, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecideRevoke decides on revoking an issued credential.
func BenchmarkDecideRevoke(b *testing.B) {
	c := Fold(issued())
	for b.Loop() {
		if _, err := c.Revoke(spec.Issuer, "Issued for the wrong mobility.", now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFoldKey folds a signing key's stream and picks the signing key
// of its organisation, as issuing does.
func BenchmarkFoldKey(b *testing.B) {
	events := []domain.Event{registered("key-1", oid, jwk1, keyTime)}
	for b.Loop() {
		if _, ok := SigningKey(oid, FoldKey(events...)); !ok {
			b.Fatal("no signing key")
		}
	}
}
