package auditor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
)

// stateVersion is the version of the state file's format.
const stateVersion = 1

// State is what an auditor remembers between audits of one ledger, in the
// state file: the verifier key it pinned, the checkpoint of its last audit
// that found nothing wrong, and the fingerprints of that checkpoint's
// entries (8 bytes an entry), which say where the log changed should a later
// audit find it rewritten.
type State struct {
	Version      int                `json:"version"`
	Key          string             `json:"key"`
	Checkpoint   string             `json:"checkpoint,omitempty"`
	Fingerprints audit.Fingerprints `json:"fingerprints,omitempty"`
	AuditedAt    time.Time          `json:"audited_at,omitzero"`
}

// loadState reads the state file at path; a zero State if path is "" or
// there is no file yet.
func loadState(path string) (State, error) {
	if path == "" {
		return State{}, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, nil
	}
	if err != nil {
		return State{}, fmt.Errorf("state: %w", err)
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return State{}, fmt.Errorf("state %s: %w", path, err)
	}
	if s.Version != stateVersion {
		return State{}, fmt.Errorf("state %s: format version %d is not %d", path, s.Version, stateVersion)
	}
	return s, nil
}

// remembered is the checkpoint of the last audit, opened with v; nil if
// there was none.
func (s State) remembered(v note.Verifier) (*checkpoint.Checkpoint, error) {
	if s.Checkpoint == "" {
		return nil, nil
	}
	c, err := checkpoint.Open([]byte(s.Checkpoint), v)
	if err != nil {
		return nil, fmt.Errorf("state: the remembered checkpoint does not verify with the key: %w", err)
	}
	return &c, nil
}

// save writes s to path, replacing the file at once: a crash leaves the old
// state or the new, never half of one.
func (s State) save(path string) error {
	s.Version = stateVersion
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return writeAtomically(path, b)
}

// writeAtomically writes b to a file beside path, then renames it to path.
func writeAtomically(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
