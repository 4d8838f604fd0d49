package credentials

import (
	"context"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"database/sql"
	"errors"
	"fmt"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/secrets"
)

// KeyStore keeps issuers' private signing keys in the credential_signing_keys
// table, each sealed with an AEAD (the ledger's master key) and bound to its
// key ID and organisation, so that a sealed key copied to another row does not
// open. A private key never leaves the ledger.
type KeyStore struct {
	db   *sql.DB
	wrap cipher.AEAD
}

// NewKeyStore returns a key store over db, sealing with wrap.
func NewKeyStore(db *sql.DB, wrap cipher.AEAD) *KeyStore { return &KeyStore{db: db, wrap: wrap} }

// Put stores the private key of signing key keyID of organisation oid. It
// fails with a Conflict error if keyID is already stored. Callers put the key
// before recording its registration, so that a registered key can always sign.
func (s *KeyStore) Put(ctx context.Context, keyID, oid string, key *ecdsa.PrivateKey) error {
	raw, err := key.Bytes()
	if err != nil {
		return fmt.Errorf("store signing key %s: %w", keyID, err)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO credential_signing_keys (key_id, oid, sealed)
		VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, keyID, oid, secrets.Seal(s.wrap, raw, binding(keyID, oid)))
	if err != nil {
		return fmt.Errorf("store signing key %s: %w", keyID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store signing key %s: %w", keyID, err)
	}
	if n == 0 {
		return domain.Conflictf("signing key %s is already stored", keyID)
	}
	return nil
}

// Get returns the private key of signing key keyID and its organisation, or an
// error wrapping domain.ErrNotFound.
func (s *KeyStore) Get(ctx context.Context, keyID string) (*ecdsa.PrivateKey, string, error) {
	var oid string
	var sealed []byte
	err := s.db.QueryRowContext(ctx, `SELECT oid, sealed FROM credential_signing_keys WHERE key_id = $1`, keyID).Scan(&oid, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", domain.NotFoundf("signing key %s has no private key in this ledger", keyID)
	}
	if err != nil {
		return nil, "", fmt.Errorf("load signing key %s: %w", keyID, err)
	}
	raw, err := secrets.Open(s.wrap, sealed, binding(keyID, oid))
	if err != nil {
		return nil, "", fmt.Errorf("unseal signing key %s (wrong master key?): %w", keyID, err)
	}
	key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), raw)
	if err != nil {
		return nil, "", fmt.Errorf("load signing key %s: %w", keyID, err)
	}
	return key, oid, nil
}

// binding is the additional data a key is sealed with.
func binding(keyID, oid string) []byte {
	return []byte("ledger credential signing key\x00" + keyID + "\x00" + oid)
}
