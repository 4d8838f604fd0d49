package credentials

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/credentials/internal/dbtest"
	"github.com/erasmus-ledger/ledger/infra/store"
)

func newAEAD(t *testing.T) cipher.AEAD {
	t.Helper()
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	b, err := aes.NewCipher(k)
	if err != nil {
		t.Fatal(err)
	}
	a, err := cipher.NewGCM(b)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestKeyStore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, b store.Backend) {
		ctx := t.Context()
		s := NewKeyStore(b.DB(), newAEAD(t))
		priv, err := GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Put(ctx, "key-1", testOID, priv); err != nil {
			t.Fatal(err)
		}
		got, oid, err := s.Get(ctx, "key-1")
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(priv) || oid != testOID {
			t.Errorf("Get returned another key, or organisation %q", oid)
		}
		if err := s.Put(ctx, "key-1", testOID, priv); !errors.Is(err, domain.ErrConflict) {
			t.Errorf("second Put = %v, want Conflict", err)
		}
		if _, _, err := s.Get(ctx, "key-2"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Get(key-2) = %v, want NotFound", err)
		}
		var sealed []byte
		if err := b.DB().QueryRowContext(ctx, `SELECT sealed FROM credential_signing_keys WHERE key_id = 'key-1'`).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		raw, _ := priv.Bytes()
		if len(sealed) < len(raw) || bytes.Contains(sealed, raw) {
			t.Error("the private key is stored in clear")
		}
		if _, _, err := NewKeyStore(b.DB(), newAEAD(t)).Get(ctx, "key-1"); err == nil || errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Get with another master key = %v, want an unseal error", err)
		}
	})
}

// TestKeyStoreBindsRows moves a sealed key to another key ID and organisation:
// it must no longer open.
func TestKeyStoreBindsRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, b store.Backend) {
		ctx := t.Context()
		s := NewKeyStore(b.DB(), newAEAD(t))
		priv, err := GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Put(ctx, "key-1", testOID, priv); err != nil {
			t.Fatal(err)
		}
		if _, err := b.DB().ExecContext(ctx, `INSERT INTO credential_signing_keys (key_id, oid, sealed)
			SELECT 'key-2', 'E10151149', sealed FROM credential_signing_keys WHERE key_id = 'key-1'`); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Get(ctx, "key-2"); err == nil {
			t.Error("a sealed key copied to another row opens")
		}
	})
}
