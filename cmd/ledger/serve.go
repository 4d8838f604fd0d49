package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"

	"github.com/erasmus-ledger/ledger/infra/app"
)

// serveFlags are the flags of serve and demo.
type serveFlags struct {
	storeFlags
	addr, publicURL, authIssuer, authAudience, authJWKS, logLevel string
	logOrigin                                                     string
}

func (s *serveFlags) register(fs *flag.FlagSet, defaultData string) {
	s.storeFlags.register(fs, defaultData)
	fs.StringVar(&s.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&s.publicURL, "public-url", "", "base URL written into credentials and links (default http://<addr>)")
	fs.StringVar(&s.authIssuer, "auth-issuer", "", "accepted API token issuer (default: the public URL)")
	fs.StringVar(&s.authAudience, "auth-audience", app.Audience, "accepted API token audience")
	fs.StringVar(&s.authJWKS, "auth-jwks-url", "", "JWKS URL of an OpenID provider whose tokens are accepted besides the ledger's own")
	fs.StringVar(&s.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&s.logOrigin, "log-origin", "", "the transparency log's name in its checkpoints, the same for every process of one ledger (default <public-url host>/recognition)")
}

func (s *serveFlags) config() (app.Config, error) {
	cfg, err := s.storeFlags.config()
	cfg.Addr, cfg.PublicURL, cfg.AuthIssuer, cfg.AuthAudience, cfg.AuthJWKSURL = s.addr, s.publicURL, s.authIssuer, s.authAudience, s.authJWKS
	cfg.LogOrigin = s.logOrigin
	return cfg, err
}

func runServe(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := newFlagSet("serve", "Run the ledger service until interrupted.", stderr)
	f.register(fs, "ledger-data")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	a, ln, err := start(ctx, &f, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	a.Logger.Info("serving", "addr", ln.Addr().String(), "public_url", a.Config.PublicURL, "store", storeName(a.Config))
	return a.Serve(ctx, ln)
}

// start opens the ledger and its listener.
func start(ctx context.Context, f *serveFlags, stderr io.Writer) (*app.App, net.Listener, error) {
	log, err := newLogger(stderr, f.logLevel)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := f.config()
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, nil, err
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + ln.Addr().String()
	}
	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		ln.Close()
		return nil, nil, err
	}
	return a, ln, nil
}

func storeName(cfg app.Config) string {
	if cfg.DatabaseURL != "" {
		return "postgresql"
	}
	return fmt.Sprintf("sqlite (%s)", cfg.DataDir)
}
