package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/secrets"
)

// storeFlags are the flags of every command that opens the ledger's store.
type storeFlags struct {
	data, databaseURL, masterKeyFile, masterKey string
}

func (s *storeFlags) register(fs *flag.FlagSet, defaultData string) {
	fs.StringVar(&s.data, "data", defaultData, "directory of the embedded SQLite store (used unless --database-url is set)")
	fs.StringVar(&s.databaseURL, "database-url", "", "PostgreSQL URL, e.g. postgres://ledger@db:5432/ledger")
	fs.StringVar(&s.masterKeyFile, "master-key-file", "", "file holding the base64 master key that wraps stored secrets (default: <data>/master.key in the embedded setup)")
	fs.StringVar(&s.masterKey, "master-key", "", "the base64 master key itself (prefer LEDGER_MASTER_KEY or --master-key-file)")
}

// config turns the store flags into an app.Config.
func (s *storeFlags) config() (app.Config, error) {
	cfg := app.Config{DataDir: s.data, DatabaseURL: s.databaseURL}
	switch {
	case s.masterKey != "":
		k, err := secrets.Parse(s.masterKey)
		if err != nil {
			return cfg, err
		}
		cfg.MasterKey = k
	case s.masterKeyFile != "":
		b, err := os.ReadFile(s.masterKeyFile)
		if err != nil {
			return cfg, fmt.Errorf("master key: %w", err)
		}
		if cfg.MasterKey, err = secrets.Parse(string(b)); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// parse parses args into fs, taking each flag not given on the command line from
// the environment variable LEDGER_<FLAG> when that is set.
func parse(fs *flag.FlagSet, args, env []string) error {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "LEDGER_") {
			vars[k] = v
		}
	}
	var bad error
	fs.VisitAll(func(f *flag.Flag) {
		name := "LEDGER_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := vars[name]; ok && bad == nil {
			if err := fs.Set(f.Name, v); err != nil {
				bad = usageError{fmt.Sprintf("%s: %v", name, err)}
			}
		}
	})
	if bad != nil {
		return bad
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// newFlagSet returns a flag set for a subcommand that prints its usage to w.
func newFlagSet(name, summary string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: ledger %s [flags]\n\n%s\n\nFlags (each also read from LEDGER_<FLAG>):\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

// newLogger returns a JSON logger at level ("debug", "info", "warn", "error").
func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level: %v", err)}
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}
