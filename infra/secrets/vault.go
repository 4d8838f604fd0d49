package secrets

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"fmt"
)

// Vault keeps named secrets in the database's secrets table, wrapped with the
// master key, so that every process on one database shares them.
type Vault struct {
	db     *sql.DB
	master cipher.AEAD
}

// NewVault returns a vault over db, wrapping with master.
func NewVault(db *sql.DB, master cipher.AEAD) *Vault { return &Vault{db: db, master: master} }

// LoadOrCreate returns the secret called name, creating it with create when it
// does not exist. Concurrent callers, in this process or others, all get the
// one that was stored first.
func (v *Vault) LoadOrCreate(ctx context.Context, name string, create func() ([]byte, error)) ([]byte, error) {
	if b, ok, err := v.load(ctx, name); err != nil || ok {
		return b, err
	}
	fresh, err := create()
	if err != nil {
		return nil, fmt.Errorf("create secret %s: %w", name, err)
	}
	wrapped := Seal(v.master, fresh, []byte(name))
	if _, err := v.db.ExecContext(ctx,
		`INSERT INTO secrets (name, wrapped) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, wrapped); err != nil {
		return nil, fmt.Errorf("store secret %s: %w", name, err)
	}
	b, _, err := v.load(ctx, name)
	return b, err
}

func (v *Vault) load(ctx context.Context, name string) ([]byte, bool, error) {
	var wrapped []byte
	err := v.db.QueryRowContext(ctx, `SELECT wrapped FROM secrets WHERE name = $1`, name).Scan(&wrapped)
	if err == sql.ErrNoRows {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("load secret %s: %w", name, err)
	}
	b, err := Open(v.master, wrapped, []byte(name))
	if err != nil {
		return nil, false, fmt.Errorf("unwrap secret %s (wrong master key?): %w", name, err)
	}
	return b, true, nil
}
