// Package app assembles the ledger from its parts: store, codec, keys, auth,
// commands and the HTTP API. cmd/ledger and the end-to-end tests both start it.
package app

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	ledger "github.com/erasmus-ledger/ledger"
	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/auth"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/commands"
	"github.com/erasmus-ledger/ledger/infra/httpapi"
	"github.com/erasmus-ledger/ledger/infra/pii"
	"github.com/erasmus-ledger/ledger/infra/projector"
	"github.com/erasmus-ledger/ledger/infra/secrets"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/pgstore"
	"github.com/erasmus-ledger/ledger/infra/store/sqlitestore"
	"github.com/erasmus-ledger/ledger/infra/tlog"
)

// Config configures a ledger process.
type Config struct {
	DataDir      string // embedded store directory, used unless DatabaseURL is set
	DatabaseURL  string // PostgreSQL URL
	Addr         string // listen address
	PublicURL    string // base of URLs in credentials and responses; default from Addr
	MasterKey    []byte // wraps stored secrets; embedded setups default to DataDir/master.key
	AuthIssuer   string // accepted token issuer; default PublicURL
	AuthAudience string // accepted token audience
	AuthJWKSURL  string // an OpenID provider's JWKS, optional
	Clock        func() time.Time
	// LogOrigin names the transparency log in its checkpoints and is its
	// signing key's name; default the public URL's host + "/recognition".
	// Every process of one ledger needs the same.
	LogOrigin string
	// LogSignInterval is the least time between two checkpoints while the
	// log grows; default that of package tlog.
	LogSignInterval time.Duration
	// ProjectionMaxLag is how many events a read model may trail the log by
	// before /readyz reports not ready; default projector.DefaultMaxLag.
	ProjectionMaxLag uint64
}

// Audience is the default token audience.
const Audience = "recognition-ledger"

// App is an assembled ledger.
type App struct {
	Config   Config
	Logger   *slog.Logger
	Registry *prometheus.Registry
	Backend  store.Backend
	Master   cipher.AEAD
	Vault    *secrets.Vault
	Keys     *pii.Keyring
	Codec    *codec.Codec
	Commands *commands.Service
	Minter   *auth.Minter
	Verifier *auth.Verifier
	API      *httpapi.API
	// Transparency is the transparency log over the event log (see
	// transparency.go).
	Transparency *tlog.Service
	// Projections runs the read models (see projections.go).
	Projections *projector.Runner

	// Features beside the core add to these while the app is assembled (see
	// wire in assemble): routes, readiness checks, background workers started by
	// Serve, and what Close releases.
	mounts  []func(*httpapi.API, *http.ServeMux)
	ready   []func(context.Context) error
	workers []func(context.Context) error
	closers []func() error
}

// EventTypes lists every event type the ledger records, for decoders.
func EventTypes() [][]domain.Event {
	return [][]domain.Event{organisation.EventTypes(), participant.EventTypes(), mobility.EventTypes(), credential.EventTypes()}
}

// Open opens the store (running migrations) and assembles the ledger.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*App, error) {
	cfg = withDefaults(cfg)
	a := &App{Config: cfg, Logger: log, Registry: prometheus.NewRegistry()}
	a.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var err error
	if a.Backend, err = openBackend(ctx, cfg, a.Registry, log); err != nil {
		return nil, err
	}
	if err := a.assemble(ctx); err != nil {
		a.Backend.Close()
		return nil, err
	}
	return a, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + cfg.Addr
	}
	cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	if cfg.AuthIssuer == "" {
		cfg.AuthIssuer = cfg.PublicURL
	}
	if cfg.AuthAudience == "" {
		cfg.AuthAudience = Audience
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "ledger-data"
	}
	return cfg
}

func openBackend(ctx context.Context, cfg Config, reg prometheus.Registerer, log *slog.Logger) (store.Backend, error) {
	if cfg.DatabaseURL != "" {
		// The pool must outnumber the workers holding connections (bus
		// subscribers, the checkpoint signer) plus concurrent requests; the
		// driver's default of four starved both under load.
		return pgstore.Open(ctx, cfg.DatabaseURL, pgstore.Options{Registerer: reg, Logger: log, MaxConns: 32})
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	return sqlitestore.Open(ctx, filepath.Join(cfg.DataDir, "ledger.db"), sqlitestore.Options{Clock: cfg.Clock, Registerer: reg, Logger: log})
}

func (a *App) assemble(ctx context.Context) error {
	key := a.Config.MasterKey
	if key == nil {
		if a.Config.DatabaseURL != "" {
			return errors.New("a PostgreSQL ledger needs its master key: set LEDGER_MASTER_KEY (32 bytes, base64) or --master-key-file")
		}
		var err error
		if key, err = secrets.LoadOrCreate(filepath.Join(a.Config.DataDir, "master.key")); err != nil {
			return err
		}
	}
	var err error
	if a.Master, err = secrets.NewAEAD(key); err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	db := a.Backend.DB()
	a.Vault = secrets.NewVault(db, a.Master)
	a.Keys = pii.NewKeyring(db, a.Master)
	a.Codec = codec.New(a.Keys, EventTypes()...)
	a.Commands = commands.New(a.Backend, a.Codec, a.Config.Clock)
	if a.Minter, err = auth.LoadMinter(ctx, a.Vault, a.Config.AuthIssuer, a.Config.AuthAudience); err != nil {
		return err
	}
	var external auth.KeySource
	if a.Config.AuthJWKSURL != "" {
		external = auth.NewJWKS(a.Config.AuthJWKSURL, &http.Client{Timeout: 5 * time.Second})
	}
	a.Verifier = auth.NewVerifier(a.Config.AuthIssuer, a.Config.AuthAudience, a.Minter.KID, a.Minter.Public(), external, a.Config.Clock)
	for _, wire := range a.features() {
		if err := wire(ctx); err != nil {
			return err
		}
	}
	a.API = httpapi.New(httpapi.Config{
		Backend: a.Backend, Commands: a.Commands, Auth: a.Verifier, Keys: a.Keys, Logger: a.Logger,
		Registry: a.Registry, PublicURL: a.Config.PublicURL, OpenAPI: ledger.OpenAPI,
		Mount: a.mounts, Ready: a.ready,
	})
	return nil
}

// features wire the parts beside the core, each in its own file of this
// package. One line each; order matters only where a feature uses another.
func (a *App) features() []func(context.Context) error {
	return []func(context.Context) error{
		a.wireProjections,
		a.wireTransparency,
		a.wireCredentials,
	}
}

// Serve serves the API on ln until ctx ends, then shuts down gracefully,
// letting requests in flight finish for up to 10 seconds.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.API,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go a.API.Maintain(ctx)
	errc := make(chan error, 1+len(a.workers))
	for _, w := range a.workers {
		go func() {
			if err := w(ctx); err != nil && ctx.Err() == nil {
				errc <- err
			}
		}()
	}
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		cancel()
		_ = srv.Close()
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// Close releases what the features hold, then the store.
func (a *App) Close() error {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		errs = append(errs, a.closers[i]())
	}
	return errors.Join(append(errs, a.Backend.Close())...)
}

// MintToken mints an API token with the ledger's own key, and checks that the
// ledger accepts it (so a bad role or OID fails here, not on first use).
func (a *App) MintToken(sub string, roles []domain.Role, org string, ttl time.Duration) (string, error) {
	tok, err := a.Minter.Mint(sub, roles, org, ttl, a.Config.Clock())
	if err != nil {
		return "", err
	}
	if _, err := a.Verifier.Actor(context.Background(), "Bearer "+tok); err != nil {
		return "", err
	}
	return tok, nil
}

// Migrate applies the store's pending migrations and returns their names.
func Migrate(ctx context.Context, cfg Config, log *slog.Logger) ([]string, error) {
	cfg = withDefaults(cfg)
	if cfg.DatabaseURL != "" {
		return pgstore.Migrate(ctx, cfg.DatabaseURL)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	return sqlitestore.Migrate(ctx, filepath.Join(cfg.DataDir, "ledger.db"))
}
