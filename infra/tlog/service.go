// Package tlog makes the event log a transparency log in the manner of
// Certificate Transparency and the Go checksum database. Each log entry's
// leaf (package leaf) is hashed into an RFC 6962 Merkle tree whose stored
// hashes live beside the log (golang.org/x/mod/sumdb/tlog does all hashing);
// signed checkpoints (package checkpoint) commit to the tree, and the Service
// serves them with inclusion and consistency proofs and the entries
// themselves, so that an auditor holding an old checkpoint can prove the log
// only grew.
//
// Every process serves; one at a time builds the tree and signs: on
// PostgreSQL the holder of a session-level advisory lock, on SQLite the only
// process.
package tlog

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/mod/sumdb/note"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// Config configures a Service. Origin and Sealer are required; zero values
// of the rest take the defaults named.
type Config struct {
	// Origin names the log in checkpoints and is the signing key's name,
	// such as "ledger.example.eu/recognition".
	Origin string
	// Sealer seals the checkpoint signing key at rest. Every process of one
	// ledger needs the same.
	Sealer cipher.AEAD
	// SignInterval is the least time between two checkpoints while the log
	// grows; default 2 s.
	SignInterval time.Duration
	// PollInterval is how often the log is read for other processes'
	// appends, and followers try to become the signer; default 1 s.
	PollInterval time.Duration
	// BatchSize is how many log entries are hashed per transaction; default 5000.
	BatchSize int
	// Registerer receives the metrics; none are exported if nil.
	Registerer prometheus.Registerer
	// Logger receives what goes wrong in the background; default discards.
	Logger *slog.Logger
	// Clock tells the time of signing; default time.Now.
	Clock func() time.Time
}

// withDefaults checks c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	if c.Origin == "" || c.Sealer == nil {
		return c, errors.New("tlog: Config needs an Origin and a Sealer")
	}
	if c.SignInterval <= 0 {
		c.SignInterval = 2 * time.Second
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 5000
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	return c, nil
}

// Service is the transparency log of one ledger database.
type Service struct {
	cfg         Config
	log         store.Backend
	hashes      hashStore
	checkpoints checkpointStore
	signer      note.Signer
	vkey        string
	elector     elector
	gauges      gauges
}

// New opens the transparency log over b, whose migrations must include this
// package's, and loads the checkpoint key, generating it on first use. Call
// Run to build the tree and sign.
func New(ctx context.Context, b store.Backend, cfg Config) (*Service, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Service{cfg: cfg, log: b, hashes: hashStore{db: b.DB()}, checkpoints: checkpointStore{db: b.DB()}}
	switch b.Dialect() {
	case store.Postgres:
		s.elector = lockElector{db: b.DB(), check: cfg.PollInterval, log: cfg.Logger}
	case store.SQLite:
		s.elector = soleElector{}
	default:
		return nil, fmt.Errorf("tlog: unknown dialect %q", b.Dialect())
	}
	if s.signer, s.vkey, err = (keyStore{db: b.DB(), aead: cfg.Sealer}).signer(ctx, cfg.Origin, cfg.Clock()); err != nil {
		return nil, err
	}
	if cfg.Registerer != nil {
		if err := s.gauges.register(cfg.Registerer, cfg.Clock); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// VerifierKey is the checkpoint verifier key in sumdb/note form
// ("<origin>+<key hash>+<base64 key>"), as GET /v1/log/key serves it.
func (s *Service) VerifierKey() string { return s.vkey }

// Leading reports whether this process is currently the signer.
func (s *Service) Leading() bool { return s.gauges.leading.Load() }

// Latest returns the latest signed checkpoint; an error wrapping
// domain.ErrNotFound if none was signed yet.
func (s *Service) Latest(ctx context.Context) (Signed, error) {
	c, err := s.checkpoints.latest(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Signed{}, domain.NotFoundf("no checkpoint has been signed yet")
	}
	return c, err
}

// TreeSize is the number of log entries the stored tree covers, the largest
// size proofs can be asked for.
func (s *Service) TreeSize(ctx context.Context) (uint64, error) {
	n, err := s.hashes.size(ctx)
	return uint64(n), err
}
