package credential

import (
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// decision is one given/when/then case on a credential's stream.
type decision struct {
	name  string
	given []domain.Event
	when  func(Credential) ([]domain.Event, error)
	outcome
}

func run(t *testing.T, tests []decision) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.when(Fold(tt.given...))
			tt.check(t, got, err)
		})
	}
}

var (
	signingKey = FoldKey(registered("key-1", oid, jwk1, keyTime))
	completed  = Mobility{ID: "mob-1", ParticipantID: "par-1", SendingOrg: oid, Completed: true}
	rev        = StatusEntry{List: "rev-list", Index: 94567}
	sus        = StatusEntry{List: "sus-list", Index: 13}
)

func goodIssue() Issue {
	return Issue{ID: "cred-1", ValidFrom: now, TokenSHA256: sha, Revocation: rev, Suspension: sus}
}

func issueWith(f func(*Issue)) Issue { c := goodIssue(); f(&c); return c }

func issued() Issued {
	return Issued{CredentialID: "cred-1", MobilityID: "mob-1", ParticipantID: "par-1", IssuerOID: oid, KeyID: "key-1",
		ValidFrom: now, TokenSHA256: sha, RevocationList: "rev-list", RevocationIndex: 94567, SuspensionList: "sus-list", SuspensionIndex: 13}
}

func issue(by domain.Actor, cmd Issue, m Mobility, key Key) func(Credential) ([]domain.Event, error) {
	return func(c Credential) ([]domain.Event, error) { return c.Issue(by, cmd, m, key, now) }
}

func TestIssue(t *testing.T) {
	until := now.AddDate(3, 0, 0)
	withUntil := issued()
	withUntil.ValidUntil = &until
	mobility := func(f func(*Mobility)) Mobility { m := completed; f(&m); return m }
	revokedKey := FoldKey(registered("key-1", oid, jwk1, keyTime), KeyRevoked{KeyID: "key-1", OID: oid, RevokedAt: now.Add(-time.Hour)})
	run(t, []decision{
		{name: "issuer of the sending organisation", when: issue(issuer, goodIssue(), completed, signingKey),
			outcome: outcome{then: []domain.Event{issued()}}},
		{name: "admin", when: issue(admin, goodIssue(), completed, signingKey),
			outcome: outcome{then: []domain.Event{issued()}}},
		{name: "times kept in whole seconds, UTC",
			when: issue(issuer, issueWith(func(c *Issue) {
				c.ValidFrom = now.Add(999 * time.Millisecond).In(time.FixedZone("CET", 3600))
				u := until.Add(time.Millisecond)
				c.ValidUntil = &u
			}), completed, signingKey),
			outcome: outcome{then: []domain.Event{withUntil}}},
		{name: "already issued", given: []domain.Event{issued()}, when: issue(issuer, goodIssue(), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "already issued"}},
		{name: "unknown mobility", when: issue(issuer, goodIssue(), Mobility{}, signingKey),
			outcome: outcome{wantErr: domain.ErrNotFound, wantMsg: "mobility"}},
		{name: "issuer of another organisation", when: issue(stranger, goodIssue(), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrForbidden, wantMsg: oid}},
		{name: "staff", when: issue(staff, goodIssue(), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrForbidden}},
		{name: "mobility not completed", when: issue(issuer, goodIssue(), mobility(func(m *Mobility) { m.Completed = false }), signingKey),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "not completed"}},
		{name: "mobility has an unrevoked credential", when: issue(issuer, goodIssue(), mobility(func(m *Mobility) { m.Unrevoked = "cred-0" }), signingKey),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "cred-0"}},
		{name: "no signing key", when: issue(issuer, goodIssue(), completed, Key{}),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "no signing key"}},
		{name: "key of another organisation", when: issue(issuer, goodIssue(), completed, FoldKey(registered("key-9", otherOID, jwk2, keyTime))),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "belongs to " + otherOID}},
		{name: "revoked key", when: issue(issuer, goodIssue(), completed, revokedKey),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "revoked"}},
		{name: "key registered later", when: issue(issuer, goodIssue(), completed, FoldKey(registered("key-1", oid, jwk1, now.Add(time.Hour)))),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "not valid"}},
		{name: "bad credential ID", when: issue(issuer, issueWith(func(c *Issue) { c.ID = "" }), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "id is required"}},
		{name: "no valid_from", when: issue(issuer, issueWith(func(c *Issue) { c.ValidFrom = time.Time{} }), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "valid_from is required"}},
		{name: "valid_from in the future", when: issue(issuer, issueWith(func(c *Issue) { c.ValidFrom = now.Add(time.Second) }), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "after the time of issue"}},
		{name: "valid_from before the key", when: issue(issuer, issueWith(func(c *Issue) { c.ValidFrom = keyTime.Add(-time.Second) }), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "outside the validity"}},
		{name: "valid_until not after valid_from", when: issue(issuer, issueWith(func(c *Issue) { c.ValidUntil = &now }), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "valid_until"}},
		{name: "hash in upper case", when: issue(issuer, issueWith(func(c *Issue) { c.TokenSHA256 = "9F" + sha[2:] }), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "token_sha256"}},
		{name: "hash too short", when: issue(issuer, issueWith(func(c *Issue) { c.TokenSHA256 = sha[:62] }), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "token_sha256"}},
		{name: "no revocation list", when: issue(issuer, issueWith(func(c *Issue) { c.Revocation.List = "" }), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "revocation list"}},
		{name: "negative suspension index", when: issue(issuer, issueWith(func(c *Issue) { c.Suspension.Index = -1 }), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "suspension index"}},
		{name: "one list for both purposes", when: issue(issuer, issueWith(func(c *Issue) { c.Suspension.List = c.Revocation.List }), completed, signingKey),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "different lists"}},
	})
}

func TestMayIssue(t *testing.T) {
	c := Fold()
	if err := c.MayIssue(stranger, completed, signingKey, now); err == nil {
		t.Fatal("MayIssue allowed an issuer of another organisation")
	}
	if err := c.MayIssue(issuer, completed, signingKey, now); err != nil {
		t.Fatalf("MayIssue refused a valid issuance: %v", err)
	}
}

func changeStatus(by domain.Actor, reason string, decide func(Credential, domain.Actor, string, time.Time) ([]domain.Event, error)) func(Credential) ([]domain.Event, error) {
	return func(c Credential) ([]domain.Event, error) { return decide(c, by, reason, now) }
}

func TestRevoke(t *testing.T) {
	active := []domain.Event{issued()}
	suspended := []domain.Event{issued(), Suspended{CredentialID: "cred-1", Reason: "review"}}
	revoked := []domain.Event{issued(), Revoked{CredentialID: "cred-1", Reason: "wrong"}}
	want := []domain.Event{Revoked{CredentialID: "cred-1", Reason: "issued in error"}}
	run(t, []decision{
		{name: "active", given: active, when: changeStatus(issuer, " issued in error ", Credential.Revoke), outcome: outcome{then: want}},
		{name: "suspended", given: suspended, when: changeStatus(admin, "issued in error", Credential.Revoke), outcome: outcome{then: want}},
		{name: "already revoked", given: revoked, when: changeStatus(issuer, "again", Credential.Revoke),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "already revoked"}},
		{name: "unknown", when: changeStatus(issuer, "x", Credential.Revoke), outcome: outcome{wantErr: domain.ErrNotFound}},
		{name: "issuer of another organisation", given: active, when: changeStatus(stranger, "x", Credential.Revoke),
			outcome: outcome{wantErr: domain.ErrForbidden, wantMsg: oid}},
		{name: "no reason", given: active, when: changeStatus(issuer, "", Credential.Revoke),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "reason is required"}},
		{name: "reason too long", given: active, when: changeStatus(issuer, strings.Repeat("x", 501), Credential.Revoke),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "at most 500"}},
	})
}

func TestSuspend(t *testing.T) {
	active := []domain.Event{issued()}
	reinstated := []domain.Event{issued(), Suspended{CredentialID: "cred-1"}, Reinstated{CredentialID: "cred-1"}}
	want := []domain.Event{Suspended{CredentialID: "cred-1", Reason: "under review"}}
	run(t, []decision{
		{name: "active", given: active, when: changeStatus(issuer, "under review", Credential.Suspend), outcome: outcome{then: want}},
		{name: "reinstated", given: reinstated, when: changeStatus(issuer, "under review", Credential.Suspend), outcome: outcome{then: want}},
		{name: "already suspended", given: []domain.Event{issued(), Suspended{CredentialID: "cred-1"}}, when: changeStatus(issuer, "again", Credential.Suspend),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "is suspended"}},
		{name: "revoked", given: []domain.Event{issued(), Revoked{CredentialID: "cred-1"}}, when: changeStatus(issuer, "x", Credential.Suspend),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "is revoked"}},
		{name: "unknown", when: changeStatus(issuer, "x", Credential.Suspend), outcome: outcome{wantErr: domain.ErrNotFound}},
		{name: "issuer of another organisation", given: active, when: changeStatus(stranger, "x", Credential.Suspend),
			outcome: outcome{wantErr: domain.ErrForbidden}},
		{name: "no reason", given: active, when: changeStatus(issuer, " ", Credential.Suspend),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "reason is required"}},
	})
}

func TestReinstate(t *testing.T) {
	suspended := []domain.Event{issued(), Suspended{CredentialID: "cred-1", Reason: "review"}}
	run(t, []decision{
		{name: "suspended", given: suspended, when: changeStatus(issuer, "review closed", Credential.Reinstate),
			outcome: outcome{then: []domain.Event{Reinstated{CredentialID: "cred-1", Reason: "review closed"}}}},
		{name: "without a reason", given: suspended, when: changeStatus(admin, "", Credential.Reinstate),
			outcome: outcome{then: []domain.Event{Reinstated{CredentialID: "cred-1"}}}},
		{name: "active", given: []domain.Event{issued()}, when: changeStatus(issuer, "", Credential.Reinstate),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "is active"}},
		{name: "revoked while suspended", given: append(suspended, Revoked{CredentialID: "cred-1"}), when: changeStatus(issuer, "", Credential.Reinstate),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "is revoked"}},
		{name: "unknown", when: changeStatus(issuer, "", Credential.Reinstate), outcome: outcome{wantErr: domain.ErrNotFound}},
		{name: "issuer of another organisation", given: suspended, when: changeStatus(stranger, "", Credential.Reinstate),
			outcome: outcome{wantErr: domain.ErrForbidden}},
		{name: "control characters in the reason", given: suspended, when: changeStatus(issuer, "ok\x00", Credential.Reinstate),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "control character"}},
	})
}

func TestStatus(t *testing.T) {
	until := now.AddDate(1, 0, 0)
	expiring := issued()
	expiring.ValidUntil = &until
	tests := []struct {
		name   string
		events []domain.Event
		at     time.Time
		want   Status
		wantAt Status
	}{
		{"not issued", nil, now, "", ""},
		{"issued", []domain.Event{issued()}, now.AddDate(50, 0, 0), StatusActive, StatusActive},
		{"before expiry", []domain.Event{expiring}, until.Add(-time.Second), StatusActive, StatusActive},
		{"at expiry", []domain.Event{expiring}, until, StatusActive, StatusExpired},
		{"suspended", []domain.Event{issued(), Suspended{}}, now, StatusSuspended, StatusSuspended},
		{"suspended and expired", []domain.Event{expiring, Suspended{}}, until, StatusSuspended, StatusSuspended},
		{"reinstated", []domain.Event{issued(), Suspended{}, Reinstated{}}, now, StatusActive, StatusActive},
		{"revoked", []domain.Event{issued(), Revoked{}}, now, StatusRevoked, StatusRevoked},
		{"revoked while suspended", []domain.Event{expiring, Suspended{}, Revoked{}}, until, StatusRevoked, StatusRevoked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Fold(tt.events...)
			if got := c.Status(); got != tt.want {
				t.Errorf("Status() = %q, want %q", got, tt.want)
			}
			if got := c.StatusAt(tt.at); got != tt.wantAt {
				t.Errorf("StatusAt(%s) = %q, want %q", tt.at, got, tt.wantAt)
			}
		})
	}
}

func TestFold(t *testing.T) {
	c := Fold(issued(), KeyRegistered{}, Suspended{CredentialID: "cred-1", Reason: "review"})
	if c.Version != 3 || c.ID != "cred-1" || c.KeyID != "key-1" || c.Revocation != rev || c.Suspension != sus || !c.Suspended || c.Reason != "review" {
		t.Errorf("Fold = %+v", c)
	}
}

func TestStreams(t *testing.T) {
	if got := Stream("c1"); got != "credential-c1" {
		t.Errorf("Stream = %q", got)
	}
	if got := KeyStream("k1"); got != "signingkey-k1" {
		t.Errorf("KeyStream = %q", got)
	}
}
