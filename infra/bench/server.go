package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/pii"
	"github.com/erasmus-ledger/ledger/infra/secrets"
)

// ledgerServer is the ledger assembled in this process, serving on a free
// loopback port.
type ledgerServer struct {
	app    *app.App
	base   string
	master []byte
	loc    Location
	cancel context.CancelFunc
	done   chan struct{} // closed when Serve has returned
	err    error         // what Serve returned, once done
	once   sync.Once
}

// startLedger opens the ledger on loc, whose secrets master wraps, and
// serves it until stopped or the run ends.
func startLedger(ctx context.Context, e *Env, loc Location, master []byte) (*ledgerServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &ledgerServer{base: "http://" + ln.Addr().String(), master: master, loc: loc, done: make(chan struct{})}
	cfg := app.Config{DataDir: loc.Dir, DatabaseURL: loc.URL, Addr: ln.Addr().String(), PublicURL: s.base, MasterKey: master}
	if s.app, err = app.Open(ctx, cfg, e.Progress.Logger()); err != nil {
		return nil, errors.Join(fmt.Errorf("open the ledger: %w", err), ln.Close())
	}
	serveCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	go func() { s.err = s.app.Serve(serveCtx, ln); close(s.done) }()
	e.cleanups.add(func(context.Context) error { return s.stop() })
	return s, nil
}

func (s *ledgerServer) url() string { return s.base }

// stop shuts the server down and closes the ledger, once.
func (s *ledgerServer) stop() error {
	var err error
	s.once.Do(func() {
		s.cancel()
		<-s.done
		err = errors.Join(s.err, s.app.Close())
	})
	return err
}

// token mints an API token with the ledger's own key.
func (s *ledgerServer) token(_ context.Context, role, org string) (string, error) {
	return s.app.MintToken("ledgerbench-"+role, []domain.Role{domain.Role(role)}, org, 24*time.Hour)
}

// peakRSS is not the ledger's: it runs inside this process.
func (s *ledgerServer) peakRSS() (float64, error) {
	return 0, missing("the ledger runs inside ledgerbench (--in-process), whose peak RSS is not the ledger's")
}

// newMasterKey returns a fresh master key for a ledger of the run.
func newMasterKey() []byte {
	k := make([]byte, secrets.KeySize)
	rand.Read(k)
	return k
}

// preparingCodec returns a codec that seals personal data with the ledger's
// own keyring, as the ledger would, but through a connection that does not
// wait for each key to reach the disk: preparing data is not measured, and
// its durability does not matter. close releases the connection.
func (s *ledgerServer) preparingCodec(e *Env) (c *codec.Codec, close func() error, err error) {
	db, err := openFast(e, s.loc)
	if err != nil {
		return nil, nil, err
	}
	master, err := secrets.NewAEAD(s.master)
	if err != nil {
		return nil, nil, errors.Join(err, db.Close())
	}
	return codec.New(pii.NewKeyring(db, master), eventTypes()...), db.Close, nil
}

// openFast opens the database at loc for preparing data: commits return
// before the disk flush.
func openFast(e *Env, loc Location) (*sql.DB, error) {
	if e.Backend != Postgres {
		return openSQLite(loc.StorePath(), "OFF")
	}
	u, err := withOptions(loc.URL, "-c synchronous_commit=off")
	if err != nil {
		return nil, err
	}
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDB(*cfg), nil
}

// newHTTPClient returns a client that keeps up to conns connections open to
// one host.
func newHTTPClient(conns int) *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: time.Minute}}
}

// Logger returns a logger for the ledgers the run starts: warnings and
// errors only, as progress lines.
func (p *Progress) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(progressLines{p: p, prefix: "ledger"}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// progressLines writes what it is given as progress lines, each prefixed.
type progressLines struct {
	p      *Progress
	prefix string
}

func (l progressLines) Write(b []byte) (int, error) {
	for line := range strings.Lines(string(b)) {
		if line = strings.TrimRight(line, "\n"); line != "" {
			l.p.Printf("%s: %s", l.prefix, line)
		}
	}
	return len(b), nil
}
