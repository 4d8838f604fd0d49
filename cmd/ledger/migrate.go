package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/erasmus-ledger/ledger/infra/app"
)

func runMigrate(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var f storeFlags
	fs := newFlagSet("migrate", "Apply the embedded database migrations and exit.", stderr)
	f.register(fs, "ledger-data")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	cfg, err := f.config()
	if err != nil {
		return err
	}
	applied, err := app.Migrate(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	for _, m := range applied {
		fmt.Fprintln(stdout, "applied", m)
	}
	fmt.Fprintf(stdout, "%d migration(s) applied; the schema is up to date\n", len(applied))
	return nil
}
