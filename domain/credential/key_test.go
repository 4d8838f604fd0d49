package credential

import (
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// keyDecision is one given/when/then case on a signing key's stream.
type keyDecision struct {
	name  string
	given []domain.Event
	when  func(Key) ([]domain.Event, error)
	outcome
}

func runKey(t *testing.T, tests []keyDecision) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.when(FoldKey(tt.given...))
			tt.check(t, got, err)
		})
	}
}

func register(by domain.Actor, cmd RegisterKey) func(Key) ([]domain.Event, error) {
	return func(k Key) ([]domain.Event, error) { return k.Register(by, cmd, now) }
}

func revokeKey(by domain.Actor, reason string) func(Key) ([]domain.Event, error) {
	return func(k Key) ([]domain.Event, error) { return k.Revoke(by, reason, now) }
}

func TestRegisterKey(t *testing.T) {
	good := RegisterKey{ID: "key-1", OID: oid, PublicJWK: jwk1}
	with := func(f func(*RegisterKey)) RegisterKey { c := good; f(&c); return c }
	offCurve := jwk1
	offCurve.Y = jwk2.Y
	runKey(t, []keyDecision{
		{name: "admin registers", when: register(admin, good),
			outcome: outcome{then: []domain.Event{registered("key-1", oid, jwk1, now)}}},
		{name: "time stored in UTC", when: func(k Key) ([]domain.Event, error) {
			return k.Register(admin, good, now.In(time.FixedZone("CET", 3600)))
		}, outcome: outcome{then: []domain.Event{registered("key-1", oid, jwk1, now)}}},
		{name: "issuer of the organisation may not", when: register(issuer, good),
			outcome: outcome{wantErr: domain.ErrForbidden, wantMsg: "only an admin"}},
		{name: "twice", given: []domain.Event{registered("key-1", oid, jwk1, keyTime)}, when: register(admin, good),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "already registered"}},
		{name: "bad key ID", when: register(admin, with(func(c *RegisterKey) { c.ID = "key/1" })),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "key_id"}},
		{name: "bad OID", when: register(admin, with(func(c *RegisterKey) { c.OID = "E1020805" })),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "oid"}},
		{name: "RSA key", when: register(admin, with(func(c *RegisterKey) { c.PublicJWK.Kty = "RSA" })),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "P-256"}},
		{name: "P-384 curve", when: register(admin, with(func(c *RegisterKey) { c.PublicJWK.Crv = "P-384" })),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "P-256"}},
		{name: "short coordinate", when: register(admin, with(func(c *RegisterKey) { c.PublicJWK.X = c.PublicJWK.X[:40] })),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "32 bytes"}},
		{name: "padded base64", when: register(admin, with(func(c *RegisterKey) { c.PublicJWK.X += "=" })),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "base64url"}},
		{name: "point off the curve", when: register(admin, with(func(c *RegisterKey) { c.PublicJWK = offCurve })),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "not a point"}},
	})
}

func TestRevokeKey(t *testing.T) {
	key := []domain.Event{registered("key-1", oid, jwk1, keyTime)}
	revoked := append(key, KeyRevoked{KeyID: "key-1", OID: oid, RevokedAt: keyTime.Add(time.Hour), Reason: "lost"})
	want := []domain.Event{KeyRevoked{KeyID: "key-1", OID: oid, RevokedAt: now, Reason: "lost laptop"}}
	runKey(t, []keyDecision{
		{name: "issuer of the organisation", given: key, when: revokeKey(issuer, " lost laptop "), outcome: outcome{then: want}},
		{name: "admin", given: key, when: revokeKey(admin, "lost laptop"), outcome: outcome{then: want}},
		{name: "issuer of another organisation", given: key, when: revokeKey(stranger, "lost laptop"),
			outcome: outcome{wantErr: domain.ErrForbidden, wantMsg: oid}},
		{name: "staff", given: key, when: revokeKey(staff, "lost laptop"),
			outcome: outcome{wantErr: domain.ErrForbidden}},
		{name: "unknown key", when: revokeKey(admin, "lost laptop"),
			outcome: outcome{wantErr: domain.ErrNotFound}},
		{name: "already revoked", given: revoked, when: revokeKey(admin, "again"),
			outcome: outcome{wantErr: domain.ErrConflict, wantMsg: "already revoked"}},
		{name: "no reason", given: key, when: revokeKey(admin, "  "),
			outcome: outcome{wantErr: domain.ErrInvalid, wantMsg: "reason is required"}},
	})
}

func TestKeyValidAt(t *testing.T) {
	revokedAt := keyTime.Add(24 * time.Hour)
	live := FoldKey(registered("key-1", oid, jwk1, keyTime))
	revoked := FoldKey(registered("key-1", oid, jwk1, keyTime), KeyRevoked{KeyID: "key-1", OID: oid, RevokedAt: revokedAt})
	tests := []struct {
		name string
		key  Key
		at   time.Time
		want bool
	}{
		{"unregistered", Key{}, now, false},
		{"before registration", live, keyTime.Add(-time.Second), false},
		{"in the second of registration", live, keyTime.Truncate(time.Second), true},
		{"long after registration", live, now.AddDate(10, 0, 0), true},
		{"before revocation", revoked, revokedAt.Add(-time.Nanosecond), true},
		{"at revocation", revoked, revokedAt, false},
		{"after revocation", revoked, revokedAt.Add(time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.key.ValidAt(tt.at); got != tt.want {
				t.Errorf("ValidAt(%s) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func TestSigningKey(t *testing.T) {
	old := FoldKey(registered("old", oid, jwk1, keyTime))
	newer := FoldKey(registered("new", oid, jwk2, keyTime.Add(time.Hour)))
	newerRevoked := FoldKey(registered("new", oid, jwk2, keyTime.Add(time.Hour)), KeyRevoked{KeyID: "new", OID: oid, RevokedAt: now})
	foreign := FoldKey(registered("foreign", otherOID, jwk2, now))
	tests := []struct {
		name   string
		keys   []Key
		want   string
		wantOK bool
	}{
		{"none", nil, "", false},
		{"one", []Key{old}, "old", true},
		{"rotation picks the newest", []Key{old, newer}, "new", true},
		{"whatever the order", []Key{newer, old}, "new", true},
		{"revoked keys are skipped", []Key{old, newerRevoked}, "old", true},
		{"all revoked", []Key{newerRevoked}, "", false},
		{"other organisations' keys are ignored", []Key{old, foreign}, "old", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := SigningKey(oid, tt.keys...)
			if got.ID != tt.want || ok != tt.wantOK {
				t.Errorf("SigningKey = %q, %v; want %q, %v", got.ID, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestFoldKey(t *testing.T) {
	k := FoldKey(registered("key-1", oid, jwk1, keyTime), Revoked{}, KeyRevoked{KeyID: "key-1", OID: oid, RevokedAt: now, Reason: "lost"})
	want := Key{ID: "key-1", OID: oid, PublicJWK: jwk1, RegisteredAt: keyTime, Revoked: true, RevokedAt: now, RevokeReason: "lost", Version: 3}
	if k != want {
		t.Errorf("FoldKey = %+v, want %+v", k, want)
	}
}
