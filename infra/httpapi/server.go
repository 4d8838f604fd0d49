// Package httpapi is the ledger's HTTP interface (CONTRACT.md): JSON commands and
// reads, problem+json errors from one table, authentication, idempotency,
// metrics and health.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/erasmus-ledger/ledger/infra/auth"
	"github.com/erasmus-ledger/ledger/infra/commands"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// Config is what the API needs.
type Config struct {
	Backend   store.Backend
	Commands  *commands.Service
	Auth      *auth.Verifier
	Keys      KeyDestroyer
	Logger    *slog.Logger
	Registry  *prometheus.Registry
	PublicURL string // base of URLs written into responses, without trailing slash
	OpenAPI   []byte // the contract, served at /openapi.yaml
	// Ready lists extra readiness checks (such as projection lag); each returns
	// nil when ready.
	Ready []func(ctx context.Context) error
	// Mount registers further routes (credentials, transparency log, transcripts)
	// on the API's mux; handlers use the API's helpers for auth and errors.
	Mount []func(a *API, mux *http.ServeMux)
	// MaxBody is the largest request body accepted, in bytes (default 1 MiB).
	MaxBody int64
}

// KeyDestroyer destroys a participant's data key; pii.Keyring is one.
type KeyDestroyer interface {
	Destroy(ctx context.Context, subject string) error
}

// API serves the ledger over HTTP.
type API struct {
	cfg     Config
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler
	idem    *idempotency
	metrics *metrics
}

// New returns the API with every route registered.
func New(cfg Config) *API {
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	a := &API{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux(),
		idem: &idempotency{db: cfg.Backend.DB(), now: cfg.Commands.Now}, metrics: newMetrics(cfg.Registry)}
	a.routes()
	for _, m := range cfg.Mount {
		m(a, a.mux)
	}
	a.handler = a.middleware(a.mux)
	return a
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// Commands is the command service behind the API.
func (a *API) Commands() *commands.Service { return a.cfg.Commands }

// Logger is the API's logger.
func (a *API) Logger() *slog.Logger { return a.log }

// PublicURL is the base URL written into responses and credentials.
func (a *API) PublicURL() string { return a.cfg.PublicURL }

func (a *API) routes() {
	m := a.mux
	m.HandleFunc("POST /v1/organisations", a.command(a.registerOrganisation))
	m.HandleFunc("GET /v1/organisations/{oid}", a.query(a.getOrganisation))
	m.HandleFunc("POST /v1/participants", a.command(a.enrolParticipant))
	m.HandleFunc("GET /v1/participants/{id}", a.query(a.getParticipant))
	m.HandleFunc("POST /v1/participants/{id}/erasure", a.command(a.eraseParticipant))
	m.HandleFunc("POST /v1/mobilities", a.command(a.agreeMobility))
	m.HandleFunc("GET /v1/mobilities/{id}", a.query(a.getMobility))
	m.HandleFunc("POST /v1/mobilities/{id}/completion", a.command(a.completeMobility))
	m.HandleFunc("POST /v1/mobilities/{id}/cancellation", a.command(a.cancelMobility))
	m.HandleFunc("POST /v1/mobilities/{id}/recognition", a.command(a.recogniseMobility))
	m.HandleFunc("GET /v1/streams/{stream}", a.query(a.getStream))
	m.HandleFunc("GET /healthz", a.healthz)
	m.HandleFunc("GET /readyz", a.readyz)
	m.Handle("GET /metrics", promhttp.HandlerFor(a.cfg.Registry, promhttp.HandlerOpts{Registry: a.cfg.Registry}))
	m.HandleFunc("GET /openapi.yaml", a.openapi)
}

// Maintain does the API's housekeeping until ctx ends: it forgets idempotency
// answers past their retention, hourly.
func (a *API) Maintain(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := a.idem.purge(ctx); err != nil && ctx.Err() == nil {
			a.log.WarnContext(ctx, "purge idempotency records", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{}
	ready := true
	if _, err := a.cfg.Backend.Size(ctx); err != nil {
		checks["store"], ready = "unreachable", false
		a.log.WarnContext(ctx, "readiness: store unreachable", "err", err)
	} else {
		checks["store"] = "ok"
	}
	for _, check := range a.cfg.Ready {
		if err := check(ctx); err != nil {
			checks["projections"], ready = err.Error(), false
		}
	}
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, map[string]any{"ready": ready, "checks": checks})
}

func (a *API) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(a.cfg.OpenAPI)
}
