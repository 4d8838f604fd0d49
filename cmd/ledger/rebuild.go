package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/projector"
)

// runRebuild rebuilds one read model, or all, from the log into a fresh copy
// and switches over, while a running ledger keeps serving from the old one.
func runRebuild(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var names []string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		names, args = []string{args[0]}, args[1:]
	}
	var f storeFlags
	fs := newFlagSet("rebuild [PROJECTION]", "Rebuild a read model (transcript, directory, credentialstatus), or all of them,\nfrom index 0 of the log, then switch over. The projection, if named, comes before the flags.", stderr)
	f.register(fs, "ledger-data")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	cfg, err := f.config()
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Projections.Rebuild(ctx, names, func(p projector.Progress) {
		fmt.Fprintf(stdout, "%s: %d events folded (%s)\n", strings.Join(p.Projections, ", "), p.Position, p.Elapsed.Round(time.Millisecond))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rebuilt %s: %d events in %s (%.0f events/s); old copies dropped in %s\n", strings.Join(res.Projections, ", "),
		res.Events, res.Build.Round(time.Millisecond), res.EventsPerSecond(), res.Drop.Round(time.Millisecond))
	return nil
}
