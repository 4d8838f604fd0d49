package credential

import (
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
)

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
	spec.Run(t, Fold, []spec.Decision[Credential]{
		{Name: "issuer of the sending organisation", When: issue(spec.Issuer, goodIssue(), completed, signingKey),
			Then: []domain.Event{issued()}},
		{Name: "admin", When: issue(spec.Admin, goodIssue(), completed, signingKey),
			Then: []domain.Event{issued()}},
		{Name: "times kept in whole seconds, UTC",
			When: issue(spec.Issuer, issueWith(func(c *Issue) {
				c.ValidFrom = now.Add(999 * time.Millisecond).In(time.FixedZone("CET", 3600))
				u := until.Add(time.Millisecond)
				c.ValidUntil = &u
			}), completed, signingKey),
			Then: []domain.Event{withUntil}},
		{Name: "already issued", Given: []domain.Event{issued()}, When: issue(spec.Issuer, goodIssue(), completed, signingKey),
			WantErr: domain.ErrConflict, WantMsg: "already issued"},
		{Name: "unknown mobility", When: issue(spec.Issuer, goodIssue(), Mobility{}, signingKey),
			WantErr: domain.ErrNotFound, WantMsg: "mobility"},
		{Name: "issuer of another organisation", When: issue(stranger, goodIssue(), completed, signingKey),
			WantErr: domain.ErrForbidden, WantMsg: oid},
		{Name: "staff", When: issue(staff, goodIssue(), completed, signingKey),
			WantErr: domain.ErrForbidden},
		{Name: "mobility not completed", When: issue(spec.Issuer, goodIssue(), mobility(func(m *Mobility) { m.Completed = false }), signingKey),
			WantErr: domain.ErrConflict, WantMsg: "not completed"},
		{Name: "mobility has an unrevoked credential", When: issue(spec.Issuer, goodIssue(), mobility(func(m *Mobility) { m.Unrevoked = "cred-0" }), signingKey),
			WantErr: domain.ErrConflict, WantMsg: "cred-0"},
		{Name: "no signing key", When: issue(spec.Issuer, goodIssue(), completed, Key{}),
			WantErr: domain.ErrConflict, WantMsg: "no signing key"},
		{Name: "key of another organisation", When: issue(spec.Issuer, goodIssue(), completed, FoldKey(registered("key-9", otherOID, jwk2, keyTime))),
			WantErr: domain.ErrInvalid, WantMsg: "belongs to " + otherOID},
		{Name: "revoked key", When: issue(spec.Issuer, goodIssue(), completed, revokedKey),
			WantErr: domain.ErrConflict, WantMsg: "revoked"},
		{Name: "key registered later", When: issue(spec.Issuer, goodIssue(), completed, FoldKey(registered("key-1", oid, jwk1, now.Add(time.Hour)))),
			WantErr: domain.ErrConflict, WantMsg: "not valid"},
		{Name: "bad credential ID", When: issue(spec.Issuer, issueWith(func(c *Issue) { c.ID = "" }), completed, signingKey),
			WantErr: domain.ErrInvalid, WantMsg: "id is required"},
		{Name: "no valid_from", When: issue(spec.Issuer, issueWith(func(c *Issue) { c.ValidFrom = time.Time{} }), completed, signingKey),
			WantErr: domain.ErrInvalid, WantMsg: "valid_from is required"},
		{Name: "valid_from in the future", When: issue(spec.Issuer, issueWith(func(c *Issue) { c.ValidFrom = now.Add(time.Second) }), completed, signingKey),
			WantErr: domain.ErrInvalid, WantMsg: "after the time of issue"},
		{Name: "valid_from before the key", When: issue(spec.Issuer, issueWith(func(c *Issue) { c.ValidFrom = keyTime.Add(-time.Second) }), completed, signingKey),
			WantErr: domain.ErrInvalid, WantMsg: "outside the validity"},
		{Name: "valid_until not after valid_from", When: issue(spec.Issuer, issueWith(func(c *Issue) { c.ValidUntil = &now }), completed, signingKey),
			WantErr: domain.ErrInvalid, WantMsg: "valid_until"},
		{Name: "hash in upper case", When: issue(spec.Issuer, issueWith(func(c *Issue) { c.TokenSHA256 = "9F" + sha[2:] }), completed, signingKey),
			WantErr: domain.ErrInvalid, WantMsg: "token_sha256"},
		{Name: "hash too short", When: issue(spec.Issuer, issueWith(func(c *Issue) { c.TokenSHA256 = sha[:62] }), completed, signingKey),
			WantErr: domain.ErrInvalid, WantMsg: "token_sha256"},
		{Name: "no revocation list", When: issue(spec.Issuer, issueWith(func(c *Issue) { c.Revocation.List = "" }), completed, signingKey),
			WantErr: domain.ErrInvalid, WantMsg: "revocation list"},
		{Name: "negative suspension index", When: issue(spec.Issuer, issueWith(func(c *Issue) { c.Suspension.Index = -1 }), completed, signingKey),
			WantErr: domain.ErrInvalid, WantMsg: "suspension index"},
		{Name: "one list for both purposes", When: issue(spec.Issuer, issueWith(func(c *Issue) { c.Suspension.List = c.Revocation.List }), completed, signingKey),
			WantErr: domain.ErrInvalid, WantMsg: "different lists"},
	})
}

func TestMayIssue(t *testing.T) {
	c := Fold()
	if err := c.MayIssue(stranger, completed, signingKey, now); err == nil {
		t.Fatal("MayIssue allowed an issuer of another organisation")
	}
	if err := c.MayIssue(spec.Issuer, completed, signingKey, now); err != nil {
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
	spec.Run(t, Fold, []spec.Decision[Credential]{
		{Name: "active", Given: active, When: changeStatus(spec.Issuer, " issued in error ", Credential.Revoke), Then: want},
		{Name: "suspended", Given: suspended, When: changeStatus(spec.Admin, "issued in error", Credential.Revoke), Then: want},
		{Name: "already revoked", Given: revoked, When: changeStatus(spec.Issuer, "again", Credential.Revoke),
			WantErr: domain.ErrConflict, WantMsg: "already revoked"},
		{Name: "unknown", When: changeStatus(spec.Issuer, "x", Credential.Revoke), WantErr: domain.ErrNotFound},
		{Name: "issuer of another organisation", Given: active, When: changeStatus(stranger, "x", Credential.Revoke),
			WantErr: domain.ErrForbidden, WantMsg: oid},
		{Name: "no reason", Given: active, When: changeStatus(spec.Issuer, "", Credential.Revoke),
			WantErr: domain.ErrInvalid, WantMsg: "reason is required"},
		{Name: "reason too long", Given: active, When: changeStatus(spec.Issuer, strings.Repeat("x", 501), Credential.Revoke),
			WantErr: domain.ErrInvalid, WantMsg: "at most 500"},
	})
}

func TestSuspend(t *testing.T) {
	active := []domain.Event{issued()}
	reinstated := []domain.Event{issued(), Suspended{CredentialID: "cred-1"}, Reinstated{CredentialID: "cred-1"}}
	want := []domain.Event{Suspended{CredentialID: "cred-1", Reason: "under review"}}
	spec.Run(t, Fold, []spec.Decision[Credential]{
		{Name: "active", Given: active, When: changeStatus(spec.Issuer, "under review", Credential.Suspend), Then: want},
		{Name: "reinstated", Given: reinstated, When: changeStatus(spec.Issuer, "under review", Credential.Suspend), Then: want},
		{Name: "already suspended", Given: []domain.Event{issued(), Suspended{CredentialID: "cred-1"}}, When: changeStatus(spec.Issuer, "again", Credential.Suspend),
			WantErr: domain.ErrConflict, WantMsg: "is suspended"},
		{Name: "revoked", Given: []domain.Event{issued(), Revoked{CredentialID: "cred-1"}}, When: changeStatus(spec.Issuer, "x", Credential.Suspend),
			WantErr: domain.ErrConflict, WantMsg: "is revoked"},
		{Name: "unknown", When: changeStatus(spec.Issuer, "x", Credential.Suspend), WantErr: domain.ErrNotFound},
		{Name: "issuer of another organisation", Given: active, When: changeStatus(stranger, "x", Credential.Suspend),
			WantErr: domain.ErrForbidden},
		{Name: "no reason", Given: active, When: changeStatus(spec.Issuer, " ", Credential.Suspend),
			WantErr: domain.ErrInvalid, WantMsg: "reason is required"},
	})
}

func TestReinstate(t *testing.T) {
	suspended := []domain.Event{issued(), Suspended{CredentialID: "cred-1", Reason: "review"}}
	spec.Run(t, Fold, []spec.Decision[Credential]{
		{Name: "suspended", Given: suspended, When: changeStatus(spec.Issuer, "review closed", Credential.Reinstate),
			Then: []domain.Event{Reinstated{CredentialID: "cred-1", Reason: "review closed"}}},
		{Name: "without a reason", Given: suspended, When: changeStatus(spec.Admin, "", Credential.Reinstate),
			Then: []domain.Event{Reinstated{CredentialID: "cred-1"}}},
		{Name: "active", Given: []domain.Event{issued()}, When: changeStatus(spec.Issuer, "", Credential.Reinstate),
			WantErr: domain.ErrConflict, WantMsg: "is active"},
		{Name: "revoked while suspended", Given: append(suspended, Revoked{CredentialID: "cred-1"}), When: changeStatus(spec.Issuer, "", Credential.Reinstate),
			WantErr: domain.ErrConflict, WantMsg: "is revoked"},
		{Name: "unknown", When: changeStatus(spec.Issuer, "", Credential.Reinstate), WantErr: domain.ErrNotFound},
		{Name: "issuer of another organisation", Given: suspended, When: changeStatus(stranger, "", Credential.Reinstate),
			WantErr: domain.ErrForbidden},
		{Name: "control characters in the reason", Given: suspended, When: changeStatus(spec.Issuer, "ok\x00", Credential.Reinstate),
			WantErr: domain.ErrInvalid, WantMsg: "control character"},
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
