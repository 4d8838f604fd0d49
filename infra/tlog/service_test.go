package tlog_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	xtlog "golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/tlog"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

func TestKeyIsGeneratedOnceAndSealed(t *testing.T) {
	t.Parallel()
	b := openSQLite(t)
	cfg := fastConfig(t)
	first, err := tlog.New(context.Background(), b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := tlog.New(context.Background(), b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if first.VerifierKey() != again.VerifierKey() {
		t.Fatalf("a second start made a new key: %s, then %s", first.VerifierKey(), again.VerifierKey())
	}
	var sealed []byte
	if err := b.DB().QueryRow(`SELECT sealed_skey FROM tlog_keys`).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("PRIVATE+KEY")) {
		t.Fatal("the private key is stored in clear")
	}
	other := cfg
	other.Sealer = sealer(t)
	if _, err := tlog.New(context.Background(), b, other); err == nil {
		t.Fatal("opened the stored key with another sealing key")
	}
}

func TestConfigNeedsOriginAndSealer(t *testing.T) {
	b := openSQLite(t)
	for name, cfg := range map[string]tlog.Config{"no origin": {Sealer: sealer(t)}, "no sealer": {Origin: origin}, "origin with a space": {Origin: "a b", Sealer: sealer(t)}} {
		if _, err := tlog.New(context.Background(), b, cfg); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

func TestProve(t *testing.T) {
	t.Parallel()
	b := openSQLite(t)
	s, stop := start(t, b, fastConfig(t))
	appendEvents(t, b, 9)
	waitCheckpoint(t, s, 9)
	stop()
	appendEvents(t, b, 1)
	records, _ := b.ReadLog(context.Background(), 0, 10)
	for i, r := range records[:9] {
		p, err := s.Prove(context.Background(), uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		l, _ := leaf.Encode(r)
		if err := p.Checkpoint.VerifyInclusion(p.Index, l, p.Hashes); err != nil || p.Checkpoint.Size != 9 {
			t.Fatalf("entry %d against checkpoint of %d: %v", i, p.Checkpoint.Size, err)
		}
	}
	_, err := s.Prove(context.Background(), 9)
	if !errors.Is(err, tlog.ErrNotCheckpointed) || !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("Prove of an entry after the checkpoint = %v, want ErrNotCheckpointed", err)
	}
}

// TestCheckpointProof proves against a checkpoint without reading the tree's
// size, and still fails for a checkpoint whose tree is not stored.
func TestCheckpointProof(t *testing.T) {
	t.Parallel()
	b := openSQLite(t)
	s, stop := start(t, b, fastConfig(t))
	appendEvents(t, b, 5)
	c := waitCheckpoint(t, s, 5)
	stop()
	records, _ := b.ReadLog(context.Background(), 0, 5)
	l, _ := leaf.Encode(records[4])
	p, err := s.CheckpointProof(context.Background(), 4, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.VerifyInclusion(4, l, p); err != nil {
		t.Fatalf("entry 4 against checkpoint of %d: %v", c.Size, err)
	}
	if _, err := s.CheckpointProof(context.Background(), c.Size, c); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("proof of an entry beyond the checkpoint = %v, want ErrInvalid", err)
	}
	beyond := c
	beyond.Size = 1 << 20
	if _, err := s.CheckpointProof(context.Background(), 4, beyond); err == nil {
		t.Fatal("proved an entry in a tree whose hashes are not stored")
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	b := openSQLite(t)
	reg := prometheus.NewRegistry()
	cfg := fastConfig(t)
	cfg.Registerer = reg
	s, _ := start(t, b, cfg)
	appendEvents(t, b, 12)
	waitCheckpoint(t, s, 12)
	want := map[string]float64{"ledger_tlog_checkpoint_size": 12, "ledger_tlog_signer": 1, "ledger_tlog_tree_size": 12}
	waitFor(t, 5*time.Second, "the gauges", func() bool {
		got := gauges(t, reg)
		for name, v := range want {
			if got[name] != v {
				return false
			}
		}
		age, ok := got["ledger_tlog_checkpoint_age_seconds"]
		return ok && age >= 0 && age < 60
	})
	if _, err := tlog.New(context.Background(), b, cfg); err == nil {
		t.Fatal("registered the metrics twice on one registry without an error")
	}
}

// gauges gathers reg's gauge values by name.
func gauges(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			out[f.GetName()] = m.GetGauge().GetValue()
		}
	}
	return out
}

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// TestRefusesInconsistentTree rewrites a stored hash under a signed
// checkpoint and checks that no checkpoint is signed after it.
func TestRefusesInconsistentTree(t *testing.T) {
	t.Parallel()
	b := openSQLite(t)
	var logs logBuffer
	cfg := fastConfig(t)
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	s, _ := start(t, b, cfg)
	appendEvents(t, b, 5)
	waitCheckpoint(t, s, 5)
	tamper := []string{
		`DROP TRIGGER tlog_hashes_no_update`,
		`UPDATE tlog_hashes SET hash = zeroblob(32) WHERE idx = $1`,
	}
	for _, q := range tamper {
		if _, err := b.DB().Exec(q, xtlog.StoredHashIndex(2, 0)); err != nil && !strings.HasPrefix(q, "DROP") {
			t.Fatal(err)
		}
	}
	appendEvents(t, b, 3)
	waitFor(t, 10*time.Second, "the tree to grow", func() bool {
		n, _ := s.TreeSize(context.Background())
		return n == 8
	})
	waitFor(t, 10*time.Second, "the refusal to be logged", func() bool {
		return strings.Contains(logs.String(), "refusing to sign an inconsistent tree")
	})
	if c, err := s.Latest(context.Background()); err != nil || c.Size != 5 {
		t.Fatalf("latest checkpoint after tampering: %d entries, %v; want the one of 5", c.Size, err)
	}
}
