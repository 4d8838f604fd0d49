package app

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/erasmus-ledger/ledger/infra/bus"
	"github.com/erasmus-ledger/ledger/infra/httpapi"
	"github.com/erasmus-ledger/ledger/infra/projector"
	"github.com/erasmus-ledger/ledger/infra/transcripts"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
	"github.com/erasmus-ledger/ledger/projections/directory"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// Projections lists the ledger's read models.
func Projections() []projections.Projection {
	return []projections.Projection{transcript.Projection{}, directory.Projection{}, credentialstatus.Projection{}}
}

// wireProjections runs the read models: the bus delivers committed events to
// one consumer per read model, which the runner folds; the runner also
// catches up on its own and feeds the position and lag gauges and the
// readiness check. It serves transcripts from the transcript read model.
func (a *App) wireProjections(ctx context.Context) error {
	runner, err := projector.New(ctx, projector.Config{Backend: a.Backend, Codec: a.Codec, Projections: Projections(),
		Registry: a.Registry, Logger: a.Logger.With("component", "projector"), Clock: a.Config.Clock, MaxLag: a.Config.ProjectionMaxLag})
	if err != nil {
		return fmt.Errorf("projections: %w", err)
	}
	b, err := bus.New(ctx, bus.Config{Backend: a.Backend, Registry: a.Registry, Logger: a.Logger.With("component", "bus")})
	if err != nil {
		return fmt.Errorf("projections: %w", err)
	}
	for _, name := range runner.Names() {
		if err := b.Consume(name, func(ctx context.Context, index uint64) error { return runner.Deliver(ctx, name, index) }); err != nil {
			return errors.Join(err, b.Close())
		}
	}
	a.Projections = runner
	a.ready = append(a.ready, runner.Ready)
	svc := transcripts.New(a.Commands, runner, a.Backend.DB(), a.Config.PublicURL, a.Logger.With("component", "transcripts"))
	a.mounts = append(a.mounts, httpapi.MountTranscripts(svc))
	w := &worker{}
	a.workers = append(a.workers, func(ctx context.Context) error {
		return w.run(ctx, func(ctx context.Context) error {
			var wg sync.WaitGroup
			wg.Go(func() { runner.Run(ctx) })
			err := b.Run(ctx)
			wg.Wait()
			return err
		})
	})
	a.closers = append(a.closers, func() error { return errors.Join(w.close(closeWait), b.Close()) })
	return nil
}
