package tlog

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// keyStore keeps the checkpoint signing key of each origin in tlog_keys, its
// private half sealed with an AEAD whose additional data binds it to its
// public half.
type keyStore struct {
	db   *sql.DB
	aead cipher.AEAD
}

// signer returns the signer for origin and its verifier key, generating and
// storing an Ed25519 key on first use. Processes starting together agree on
// one key: the first insert wins and every process uses what was stored.
func (k keyStore) signer(ctx context.Context, origin string, now time.Time) (note.Signer, string, error) {
	s, vkey, err := k.load(ctx, origin)
	if !errors.Is(err, sql.ErrNoRows) {
		return s, vkey, err
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return nil, "", fmt.Errorf("generate checkpoint key for %q: %w", origin, err)
	}
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", fmt.Errorf("generate checkpoint key: %w", err)
	}
	sealed := k.aead.Seal(nonce, nonce, []byte(skey), []byte(vkey))
	_, err = k.db.ExecContext(ctx, `INSERT INTO tlog_keys (name, vkey, sealed_skey, created_at_us) VALUES ($1, $2, $3, $4)
		ON CONFLICT (name) DO NOTHING`, origin, vkey, sealed, now.UnixMicro())
	if err != nil {
		return nil, "", fmt.Errorf("store checkpoint key for %q: %w", origin, err)
	}
	return k.load(ctx, origin)
}

// load reads and unseals origin's key; sql.ErrNoRows if there is none.
func (k keyStore) load(ctx context.Context, origin string) (note.Signer, string, error) {
	var vkey string
	var sealed []byte
	err := k.db.QueryRowContext(ctx, `SELECT vkey, sealed_skey FROM tlog_keys WHERE name = $1`, origin).Scan(&vkey, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", err
	}
	if err != nil {
		return nil, "", fmt.Errorf("read checkpoint key for %q: %w", origin, err)
	}
	n := k.aead.NonceSize()
	if len(sealed) < n {
		return nil, "", fmt.Errorf("checkpoint key for %q: sealed key too short", origin)
	}
	skey, err := k.aead.Open(nil, sealed[:n], sealed[n:], []byte(vkey))
	if err != nil {
		return nil, "", fmt.Errorf("checkpoint key for %q does not open with this sealing key: %w", origin, err)
	}
	return pair(string(skey), vkey)
}

// pair returns the signer of skey after checking that vkey is its public half.
func pair(skey, vkey string) (note.Signer, string, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, "", fmt.Errorf("checkpoint key: %w", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, "", fmt.Errorf("checkpoint verifier key: %w", err)
	}
	if s.Name() != v.Name() || s.KeyHash() != v.KeyHash() {
		return nil, "", fmt.Errorf("checkpoint key %s+%08x does not match verifier key %s+%08x", s.Name(), s.KeyHash(), v.Name(), v.KeyHash())
	}
	return s, vkey, nil
}
