// Package projector runs the read models of package projections against the
// event log. Each read model keeps its documents in read_models and, in the
// same transaction, the number of log events folded into them, so a crash at
// any point neither loses nor doubles an update. Deliveries from the bus only
// say how far the log has grown: the runner reads the events themselves from
// the log, so a gap is filled and a duplicate is ignored. Rebuild folds the
// whole log in large batches into a fresh generation while the live one keeps
// serving, then switches over.
package projector

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/projections"
)

// Config is what a Runner needs. Zero sizes get the defaults below.
type Config struct {
	Backend     store.Backend
	Codec       *codec.Codec
	Projections []projections.Projection
	Registry    prometheus.Registerer // nil: no metrics
	Logger      *slog.Logger          // nil: discard
	Clock       func() time.Time      // nil: time.Now
	// MaxLag is how many log events a live read model may trail the log by
	// before Ready reports the ledger not ready.
	MaxLag uint64
	// ReadBatch is how many events one log read returns.
	ReadBatch int
	// FlushEvery is how many events a live read model folds in memory at
	// most between two commits, and a rebuild between two renewals of its
	// lease, each of which also checks RebuildCache.
	FlushEvery int
	// MaxCached is how many documents a live read model keeps in memory
	// between deliveries; past it the cache is dropped after a commit.
	MaxCached int
	// RebuildCache is how many documents a rebuild keeps in memory. Below
	// it, a rebuild writes each document once, at the end; past it, the
	// rebuild commits, drops the documents the last FlushEvery events did not
	// use, and reads them back as needed.
	RebuildCache int
	// Interval is how often Run refreshes the lag gauges and catches up read
	// models that missed a delivery.
	Interval time.Duration
}

// The defaults of Config.
const (
	DefaultMaxLag       = 10_000
	DefaultReadBatch    = 10_000
	DefaultFlushEvery   = 100_000
	DefaultMaxCached    = 200_000
	DefaultRebuildCache = 500_000
	DefaultInterval     = 2 * time.Second
)

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.MaxLag == 0 {
		c.MaxLag = DefaultMaxLag
	}
	if c.ReadBatch == 0 {
		c.ReadBatch = DefaultReadBatch
	}
	if c.FlushEvery == 0 {
		c.FlushEvery = DefaultFlushEvery
	}
	if c.MaxCached == 0 {
		c.MaxCached = DefaultMaxCached
	}
	if c.RebuildCache == 0 {
		c.RebuildCache = DefaultRebuildCache
	}
	if c.Interval == 0 {
		c.Interval = DefaultInterval
	}
	return c
}

// Runner keeps read models up to date with the log.
type Runner struct {
	cfg     Config
	db      sqlDB
	live    map[string]*live
	metrics *metrics
}

// live is a read model's live generation as this process advances it. mu
// serialises the advances of this process; other processes are kept out by
// the position check of every commit.
type live struct {
	mu sync.Mutex
	t  *target
}

// New returns a runner for cfg's projections, recording each one's state in
// the database if it is new (generation 1, empty, at position 0).
func New(ctx context.Context, cfg Config) (*Runner, error) {
	cfg = cfg.withDefaults()
	r := &Runner{cfg: cfg, db: sqlDB{db: cfg.Backend.DB(), dialect: cfg.Backend.Dialect()}, live: map[string]*live{}}
	for _, p := range cfg.Projections {
		if _, dup := r.live[p.Name()]; dup {
			return nil, fmt.Errorf("projector: two projections named %q", p.Name())
		}
		if err := r.db.ensure(ctx, p.Name()); err != nil {
			return nil, err
		}
		r.live[p.Name()] = &live{}
	}
	m, err := newMetrics(cfg.Registry, r.Names())
	if err != nil {
		return nil, err
	}
	r.metrics = m
	return r, nil
}

// Names lists the runner's read models, sorted.
func (r *Runner) Names() []string {
	names := make([]string, 0, len(r.cfg.Projections))
	for _, p := range r.cfg.Projections {
		names = append(names, p.Name())
	}
	slices.Sort(names)
	return names
}

// projection returns the projection called name, or an Invalid error.
func (r *Runner) projection(name string) (projections.Projection, error) {
	for _, p := range r.cfg.Projections {
		if p.Name() == name {
			return p, nil
		}
	}
	return nil, unknown(name, r.Names())
}

// unknown is the error for a read model name the runner does not know.
func unknown(name string, names []string) error {
	return domain.Invalidf("unknown projection %q; the projections are %s", name, strings.Join(names, ", "))
}
