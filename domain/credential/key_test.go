package credential

import (
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/internal/spec"
)

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
	spec.Run(t, FoldKey, []spec.Decision[Key]{
		{Name: "admin registers", When: register(spec.Admin, good),
			Then: []domain.Event{registered("key-1", oid, jwk1, now)}},
		{Name: "time stored in UTC", When: func(k Key) ([]domain.Event, error) {
			return k.Register(spec.Admin, good, now.In(time.FixedZone("CET", 3600)))
		}, Then: []domain.Event{registered("key-1", oid, jwk1, now)}},
		{Name: "issuer of the organisation may not", When: register(spec.Issuer, good),
			WantErr: domain.ErrForbidden, WantMsg: "only an admin"},
		{Name: "twice", Given: []domain.Event{registered("key-1", oid, jwk1, keyTime)}, When: register(spec.Admin, good),
			WantErr: domain.ErrConflict, WantMsg: "already registered"},
		{Name: "bad key ID", When: register(spec.Admin, with(func(c *RegisterKey) { c.ID = "key/1" })),
			WantErr: domain.ErrInvalid, WantMsg: "key_id"},
		{Name: "bad OID", When: register(spec.Admin, with(func(c *RegisterKey) { c.OID = "E1020805" })),
			WantErr: domain.ErrInvalid, WantMsg: "oid"},
		{Name: "RSA key", When: register(spec.Admin, with(func(c *RegisterKey) { c.PublicJWK.Kty = "RSA" })),
			WantErr: domain.ErrInvalid, WantMsg: "P-256"},
		{Name: "P-384 curve", When: register(spec.Admin, with(func(c *RegisterKey) { c.PublicJWK.Crv = "P-384" })),
			WantErr: domain.ErrInvalid, WantMsg: "P-256"},
		{Name: "short coordinate", When: register(spec.Admin, with(func(c *RegisterKey) { c.PublicJWK.X = c.PublicJWK.X[:40] })),
			WantErr: domain.ErrInvalid, WantMsg: "32 bytes"},
		{Name: "padded base64", When: register(spec.Admin, with(func(c *RegisterKey) { c.PublicJWK.X += "=" })),
			WantErr: domain.ErrInvalid, WantMsg: "base64url"},
		{Name: "point off the curve", When: register(spec.Admin, with(func(c *RegisterKey) { c.PublicJWK = offCurve })),
			WantErr: domain.ErrInvalid, WantMsg: "not a point"},
	})
}

func TestRevokeKey(t *testing.T) {
	key := []domain.Event{registered("key-1", oid, jwk1, keyTime)}
	revoked := append(key, KeyRevoked{KeyID: "key-1", OID: oid, RevokedAt: keyTime.Add(time.Hour), Reason: "lost"})
	want := []domain.Event{KeyRevoked{KeyID: "key-1", OID: oid, RevokedAt: now, Reason: "lost laptop"}}
	spec.Run(t, FoldKey, []spec.Decision[Key]{
		{Name: "issuer of the organisation", Given: key, When: revokeKey(spec.Issuer, " lost laptop "), Then: want},
		{Name: "admin", Given: key, When: revokeKey(spec.Admin, "lost laptop"), Then: want},
		{Name: "issuer of another organisation", Given: key, When: revokeKey(stranger, "lost laptop"),
			WantErr: domain.ErrForbidden, WantMsg: oid},
		{Name: "staff", Given: key, When: revokeKey(staff, "lost laptop"),
			WantErr: domain.ErrForbidden},
		{Name: "unknown key", When: revokeKey(spec.Admin, "lost laptop"),
			WantErr: domain.ErrNotFound},
		{Name: "already revoked", Given: revoked, When: revokeKey(spec.Admin, "again"),
			WantErr: domain.ErrConflict, WantMsg: "already revoked"},
		{Name: "no reason", Given: key, When: revokeKey(spec.Admin, "  "),
			WantErr: domain.ErrInvalid, WantMsg: "reason is required"},
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
