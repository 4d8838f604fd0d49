package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/erasmus-ledger/ledger/infra/httpapi"
	"github.com/erasmus-ledger/ledger/infra/tlog"
)

// wireTransparency makes the log a transparency log: the Merkle tree over
// every entry and the signed checkpoints, kept up to date while the ledger
// serves (by one process at a time on PostgreSQL), and the public auditing
// routes (/v1/log/...). Its checkpoint signing key is sealed with the master
// key; its gauges (tree size, checkpoint size and age, signer) go to the
// app's registry.
func (a *App) wireTransparency(ctx context.Context) error {
	origin, err := LogOrigin(a.Config)
	if err != nil {
		return err
	}
	svc, err := tlog.New(ctx, a.Backend, tlog.Config{Origin: origin, Sealer: a.Master, SignInterval: a.Config.LogSignInterval,
		Registerer: a.Registry, Logger: a.Logger.With("component", "tlog"), Clock: a.Config.Clock})
	if err != nil {
		return fmt.Errorf("transparency log: %w", err)
	}
	a.Transparency = svc
	a.mounts = append(a.mounts, func(_ *httpapi.API, mux *http.ServeMux) { svc.Routes(mux) })
	w := &worker{}
	a.workers = append(a.workers, func(ctx context.Context) error { return w.run(ctx, svc.Run) })
	a.closers = append(a.closers, func() error { return w.close(closeWait) })
	return nil
}

// LogOrigin is the transparency log's origin for cfg: cfg.LogOrigin, or by
// default the host of the public URL followed by "/recognition", such as
// "ledger.example.eu/recognition".
func LogOrigin(cfg Config) (string, error) {
	if cfg.LogOrigin != "" {
		return cfg.LogOrigin, nil
	}
	cfg = withDefaults(cfg)
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("transparency log: no origin given and none derives from the public URL %q", cfg.PublicURL)
	}
	return u.Host + "/recognition", nil
}
