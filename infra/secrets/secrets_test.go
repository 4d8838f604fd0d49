package secrets_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/secrets"
)

func TestLoadOrCreateKeepsTheKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "master.key")
	k1, err := secrets.LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := secrets.LoadOrCreate(path)
	if err != nil || string(k1) != string(k2) || len(k1) != secrets.KeySize {
		t.Fatalf("second load: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", fi.Mode(), err)
	}
}

func TestParse(t *testing.T) {
	for _, bad := range []string{"", "not base64!", "c2hvcnQ="} {
		if _, err := secrets.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if _, err := secrets.Parse(strings.Repeat("A", 43) + "="); err != nil {
		t.Errorf("32-byte key refused: %v", err)
	}
}

func TestSealBindsAssociatedData(t *testing.T) {
	a, err := secrets.NewAEAD(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	sealed := secrets.Seal(a, []byte("secret"), []byte("name-a"))
	if p, err := secrets.Open(a, sealed, []byte("name-a")); err != nil || string(p) != "secret" {
		t.Fatalf("open: %q %v", p, err)
	}
	if _, err := secrets.Open(a, sealed, []byte("name-b")); err == nil {
		t.Fatal("opened with other associated data")
	}
	if _, err := secrets.Open(a, sealed[:5], nil); err == nil {
		t.Fatal("opened a truncated box")
	}
}
