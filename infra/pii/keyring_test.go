package pii_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/pii"
	"github.com/erasmus-ledger/ledger/infra/secrets"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/pgstore"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
	"github.com/erasmus-ledger/ledger/infra/store/sqlitestore"
)

func backends(t *testing.T) map[string]store.Backend {
	ctx := context.Background()
	lite, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "l.db"), sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pg, err := pgstore.Open(ctx, pgtest.URL(t), pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close(); pg.Close() })
	return map[string]store.Backend{"sqlite": lite, "postgres": pg}
}

func TestSealOpenDestroy(t *testing.T) {
	t.Parallel()
	master, err := secrets.NewAEAD(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, b := range backends(t) {
		t.Run(name, func(t *testing.T) {
			k := pii.NewKeyring(b.DB(), master)
			sealed, err := k.Seal(ctx, "par_1", []byte("Zofia Quellenberg"))
			if err != nil {
				t.Fatal(err)
			}
			again, err := k.Seal(ctx, "par_1", []byte("Zofia Quellenberg"))
			if err != nil || bytes.Equal(sealed, again) {
				t.Fatalf("two seals of one plaintext must differ (fresh nonces): %v", err)
			}
			if bytes.Contains(sealed, []byte("Zofia")) {
				t.Fatal("sealed data holds the plaintext")
			}
			got, erased, err := k.Open(ctx, "par_1", sealed)
			if err != nil || erased || string(got) != "Zofia Quellenberg" {
				t.Fatalf("open: %q %v %v", got, erased, err)
			}
			if _, err := k.Seal(ctx, "par_2", []byte("other")); err != nil {
				t.Fatal(err)
			}
			if _, _, err := k.Open(ctx, "par_2", sealed); err == nil {
				t.Fatal("data sealed for par_1 opened as par_2's")
			}
			var wrapped []byte
			if err := b.DB().QueryRowContext(ctx, `SELECT wrapped FROM participant_keys WHERE participant_id = 'par_1'`).Scan(&wrapped); err != nil {
				t.Fatal(err)
			}
			if len(wrapped) <= secrets.KeySize {
				t.Fatalf("the stored key is %d bytes: not wrapped", len(wrapped))
			}
			if err := k.Destroy(ctx, "par_1"); err != nil {
				t.Fatal(err)
			}
			got, erased, err = k.Open(ctx, "par_1", sealed)
			if err != nil || !erased || got != nil {
				t.Fatalf("after destroy: %q %v %v", got, erased, err)
			}
		})
	}
}

func TestWrongMasterKeyCannotOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := backends(t)["sqlite"]
	m1, _ := secrets.NewAEAD(bytes.Repeat([]byte{1}, 32))
	m2, _ := secrets.NewAEAD(bytes.Repeat([]byte{2}, 32))
	sealed, err := pii.NewKeyring(b.DB(), m1).Seal(ctx, "par_1", []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := pii.NewKeyring(b.DB(), m2).Open(ctx, "par_1", sealed); err == nil {
		t.Fatal("opened with another master key")
	}
}
