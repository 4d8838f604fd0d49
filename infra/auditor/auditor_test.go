package auditor_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/auditor"
	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
)

// TestAuditOfAGenuineLedger audits a running ledger three times as it
// grows, on both backends: the first audit trusts the served key and pins
// it, each later one proves that the log extends the checkpoint the one
// before remembered; every event replays, and the read models agree with
// what the ledger serves.
func TestAuditOfAGenuineLedger(t *testing.T) {
	t.Parallel()
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			s := serve(t, config(t, backend))
			fill(t, s, 400, 1)
			waitCheckpoint(t, s, 400)
			state := statePath(t)
			token, err := s.app.MintToken("auditor-1", []domain.Role{domain.RoleAuditor}, "", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			first := run(t, auditor.Options{URL: s.url, State: state, Full: true, Token: token})
			mustPass(t, first)
			for _, what := range []string{"credentials", "organisations", "transcripts"} {
				if first.Compared[what] == 0 {
					t.Errorf("compared no %s: %v", what, first.Compared)
				}
			}
			if first.KeySource != auditor.KeyFirstUse || first.Key != s.app.Transparency.VerifierKey() || first.Remembered != nil {
				t.Fatalf("first audit: key %s (%s), remembered %v", first.Key, first.KeySource, first.Remembered)
			}
			if first.Report.Entries != 400 || first.Replayed == 0 || first.Compared["credentials"] == 0 {
				t.Fatalf("first audit: %d entries, %d replayed, compared %v", first.Report.Entries, first.Replayed, first.Compared)
			}
			fill(t, s, 100, 2)
			waitCheckpoint(t, s, 500)
			second := run(t, auditor.Options{URL: s.url, State: state})
			mustPass(t, second)
			if second.KeySource != auditor.KeyPinned || second.Remembered == nil || second.Remembered.Size != 400 || second.Report.Entries != 500 {
				t.Fatalf("second audit: key %s, remembered %v, %d entries", second.KeySource, second.Remembered, second.Report.Entries)
			}
			if c := second.Compared["credentials"]; c != auditor.DefaultSample {
				t.Fatalf("second audit compared %d credentials, want a sample of %d", c, auditor.DefaultSample)
			}
		})
	}
}

// TestArchives audits a ledger while saving its entries, audits the archive
// offline, audits the ledger without replaying it, then audits the archive
// continued from the ledger after it grew.
func TestArchives(t *testing.T) {
	t.Parallel()
	s := serve(t, config(t, "sqlite"))
	fill(t, s, 200, 3)
	waitCheckpoint(t, s, 200)
	dir := t.TempDir()
	archive, state := filepath.Join(dir, "entries.ndjson"), filepath.Join(dir, "state.json")
	saved := run(t, auditor.Options{URL: s.url, State: state, SaveEntries: archive})
	mustPass(t, saved)
	b, err := os.ReadFile(archive)
	if err != nil || strings.Count(string(b), "\n") != 200 || saved.Archived != archive {
		t.Fatalf("archive of %d lines (%v), want 200", strings.Count(string(b), "\n"), err)
	}
	offline := run(t, auditor.Options{Entries: archive, State: state})
	mustPass(t, offline)
	if offline.Report.Entries != 200 || len(offline.Compared) != 0 || offline.KeySource != auditor.KeyPinned {
		t.Fatalf("offline audit: %d entries, compared %v, key %s", offline.Report.Entries, offline.Compared, offline.KeySource)
	}
	quick := run(t, auditor.Options{URL: s.url, SkipReplay: true})
	mustPass(t, quick)
	if quick.Report.Entries != 200 || quick.Replayed != 0 || len(quick.Compared) != 0 {
		t.Fatalf("audit without replay: %d entries, %d replayed, compared %v", quick.Report.Entries, quick.Replayed, quick.Compared)
	}
	fill(t, s, 50, 4)
	waitCheckpoint(t, s, 250)
	more := filepath.Join(dir, "more.ndjson")
	continued := run(t, auditor.Options{URL: s.url, Entries: archive, State: state, SaveEntries: more})
	mustPass(t, continued)
	b, err = os.ReadFile(more)
	if err != nil || continued.Report.Entries != 250 || strings.Count(string(b), "\n") != 250 {
		t.Fatalf("continued audit: %d entries, archive of %d lines (%v)", continued.Report.Entries, strings.Count(string(b), "\n"), err)
	}
}

// TestArchiveOfFrames audits an archive of the entries as binary frames
// offline, then continued from the ledger after it grew.
func TestArchiveOfFrames(t *testing.T) {
	t.Parallel()
	s := serve(t, config(t, "sqlite"))
	fill(t, s, 120, 6)
	waitCheckpoint(t, s, 120)
	c := &audit.Client{URL: s.url}
	msg, err := c.Checkpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	body := c.Entries(t.Context(), 0, 120)
	frames, err := io.ReadAll(body)
	body.Close()
	if err != nil || len(frames) == 0 || frames[0] != 0 {
		t.Fatalf("frames: %v, %d bytes", err, len(frames))
	}
	archive := filepath.Join(t.TempDir(), "entries.leaves")
	if os.WriteFile(archive, frames, 0o600) != nil || os.WriteFile(archive+".checkpoint", msg, 0o600) != nil {
		t.Fatal("cannot write the archive")
	}
	key := s.app.Transparency.VerifierKey()
	offline := run(t, auditor.Options{Entries: archive, Key: key})
	mustPass(t, offline)
	fill(t, s, 30, 7)
	waitCheckpoint(t, s, 150)
	continued := run(t, auditor.Options{URL: s.url, Entries: archive, Key: key})
	mustPass(t, continued)
	if offline.Report.Entries != 120 || continued.Report.Entries != 150 || continued.Replayed <= offline.Replayed {
		t.Fatalf("offline %d entries, continued %d entries, %d replayed", offline.Report.Entries, continued.Report.Entries, continued.Replayed)
	}
}

// TestKeys checks how an audit comes to trust a key, and that it refuses to
// audit with a key that is not the one it pinned.
func TestKeys(t *testing.T) {
	t.Parallel()
	s := serve(t, config(t, "sqlite"))
	fill(t, s, 20, 5)
	waitCheckpoint(t, s, 20)
	key := s.app.Transparency.VerifierKey()
	state := statePath(t)
	given := run(t, auditor.Options{URL: s.url, Key: key, State: state})
	mustPass(t, given)
	if given.KeySource != auditor.KeyGiven {
		t.Fatalf("key source %q", given.KeySource)
	}
	other := serve(t, config(t, "sqlite"))
	_, err := auditor.Run(t.Context(), auditor.Options{URL: s.url, Key: other.app.Transparency.VerifierKey(), State: state})
	if err == nil || !strings.Contains(err.Error(), "not the key pinned") {
		t.Fatalf("audit with another key than the pinned one: %v", err)
	}
	forged := run(t, auditor.Options{URL: s.url, Key: other.app.Transparency.VerifierKey()})
	if got := located(forged.Discrepancies()); strings.Join(got, " ") != "signature" {
		t.Fatalf("audit with another ledger's key found %v", got)
	}
	if _, err := auditor.Run(t.Context(), auditor.Options{Entries: filepath.Join(t.TempDir(), "none.ndjson")}); err == nil {
		t.Fatal("an offline audit without a key ran")
	}
}
