// Package pii seals participants' personal data with a key per participant, kept
// outside the log in the participant_keys table. Destroying that key
// (crypto-shredding) erases the data everywhere at once while the log, and every
// hash over it, stays unchanged.
package pii

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"

	"github.com/erasmus-ledger/ledger/infra/secrets"
)

// Keyring seals and opens personal data. It caches nothing, so an erasure made
// by any process on the same database takes effect at once in all of them.
type Keyring struct {
	db     *sql.DB
	master cipher.AEAD
}

// NewKeyring returns a keyring over db's participant_keys table, wrapping data
// keys with master.
func NewKeyring(db *sql.DB, master cipher.AEAD) *Keyring { return &Keyring{db: db, master: master} }

// Seal encrypts plaintext under subject's key, creating the key on first use.
func (k *Keyring) Seal(ctx context.Context, subject string, plaintext []byte) ([]byte, error) {
	a, ok, err := k.key(ctx, subject)
	if err != nil {
		return nil, err
	}
	if !ok {
		if a, err = k.create(ctx, subject); err != nil {
			return nil, err
		}
	}
	return secrets.Seal(a, plaintext, []byte(subject)), nil
}

// Open decrypts data sealed for subject. erased is true, with no error, when the
// subject's key has been destroyed.
func (k *Keyring) Open(ctx context.Context, subject string, sealed []byte) (plaintext []byte, erased bool, err error) {
	a, ok, err := k.key(ctx, subject)
	if err != nil || !ok {
		return nil, !ok && err == nil, err
	}
	p, err := secrets.Open(a, sealed, []byte(subject))
	if err != nil {
		return nil, false, fmt.Errorf("open personal data of %s: %w", subject, err)
	}
	return p, false, nil
}

// Destroy deletes subject's key. What was sealed with it can no longer be read.
func (k *Keyring) Destroy(ctx context.Context, subject string) error {
	if _, err := k.db.ExecContext(ctx, `DELETE FROM participant_keys WHERE participant_id = $1`, subject); err != nil {
		return fmt.Errorf("destroy key of %s: %w", subject, err)
	}
	return nil
}

func (k *Keyring) key(ctx context.Context, subject string) (cipher.AEAD, bool, error) {
	var wrapped []byte
	err := k.db.QueryRowContext(ctx, `SELECT wrapped FROM participant_keys WHERE participant_id = $1`, subject).Scan(&wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load key of %s: %w", subject, err)
	}
	raw, err := secrets.Open(k.master, wrapped, []byte(subject))
	if err != nil {
		return nil, false, fmt.Errorf("unwrap key of %s: %w", subject, err)
	}
	a, err := secrets.NewAEAD(raw)
	return a, err == nil, err
}

func (k *Keyring) create(ctx context.Context, subject string) (cipher.AEAD, error) {
	raw := make([]byte, secrets.KeySize)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	wrapped := secrets.Seal(k.master, raw, []byte(subject))
	if _, err := k.db.ExecContext(ctx,
		`INSERT INTO participant_keys (participant_id, wrapped) VALUES ($1, $2) ON CONFLICT (participant_id) DO NOTHING`,
		subject, wrapped); err != nil {
		return nil, fmt.Errorf("store key of %s: %w", subject, err)
	}
	a, ok, err := k.key(ctx, subject)
	if err == nil && !ok {
		err = fmt.Errorf("key of %s vanished while being created", subject)
	}
	return a, err
}
