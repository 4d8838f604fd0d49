package auditor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestState(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	if s, err := loadState(path); err != nil || s.Key != "" || s.Checkpoint != "" {
		t.Fatalf("no state file: %+v, %v", s, err)
	}
	want := State{Key: "k", Checkpoint: "c\n", Fingerprints: []byte{1, 2, 3, 4, 5, 6, 7, 8}, AuditedAt: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)}
	if err := want.save(path); err != nil {
		t.Fatal(err)
	}
	got, err := loadState(path)
	if err != nil || got.Key != want.Key || got.Checkpoint != want.Checkpoint || string(got.Fingerprints) != string(want.Fingerprints) || !got.AuditedAt.Equal(want.AuditedAt) {
		t.Fatalf("state read back as %+v, %v", got, err)
	}
	for name, content := range map[string]string{"not JSON": "{", "another format": `{"version":2,"key":"k"}`} {
		bad := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
		os.WriteFile(bad, []byte(content), 0o600)
		if _, err := loadState(bad); err == nil {
			t.Errorf("%s: a state file of %q was read", name, content)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 3 {
		t.Errorf("saving left temporary files: %v", left)
	}
}
