package projector

import (
	"context"
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the runner's Prometheus series, labelled by read model.
type metrics struct {
	position *prometheus.GaugeVec
	lag      *prometheus.GaugeVec
	events   *prometheus.CounterVec
}

// newMetrics registers the series with reg (none if reg is nil) and starts
// each read model's at zero, so that dashboards see them before any event.
func newMetrics(reg prometheus.Registerer, names []string) (*metrics, error) {
	m := &metrics{
		position: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ledger_projection_position",
			Help: "Log events folded into the live read model: the index of the next event it applies."}, []string{"projection"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ledger_projection_lag",
			Help: "Log events the live read model trails the log by (log size minus position)."}, []string{"projection"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ledger_projection_folded_events_total",
			Help: "Log events folded and committed, by live updates and rebuilds alike."}, []string{"projection"}),
	}
	for _, n := range names {
		m.position.WithLabelValues(n)
		m.lag.WithLabelValues(n)
		m.events.WithLabelValues(n)
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.position, m.lag, m.events} {
			if err := reg.Register(c); err != nil {
				return nil, fmt.Errorf("projector metrics: %w", err)
			}
		}
	}
	return m, nil
}

// folded counts n events committed into read model name.
func (m *metrics) folded(name string, n uint64) { m.events.WithLabelValues(name).Add(float64(n)) }

// refresh sets the position and lag gauges from the database.
func (r *Runner) refresh(ctx context.Context) {
	lags, err := r.lags(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.cfg.Logger.WarnContext(ctx, "projections: read positions", "err", err)
		}
		return
	}
	for name, l := range lags {
		r.metrics.position.WithLabelValues(name).Set(float64(l.position))
		r.metrics.lag.WithLabelValues(name).Set(float64(l.lag))
	}
}

// lag is where a live read model stands against the log.
type lag struct{ position, lag uint64 }

// lags reads every live read model's position and lag.
func (r *Runner) lags(ctx context.Context) (map[string]lag, error) {
	head, err := r.cfg.Backend.Size(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]lag{}
	for _, name := range r.Names() {
		_, pos, err := r.db.live(ctx, r.db.db, name)
		if err != nil {
			return nil, err
		}
		out[name] = lag{position: pos, lag: head - min(head, pos)}
	}
	return out, nil
}

// Ready reports an error while a live read model trails the log by more than
// MaxLag events; it is a readiness check for /readyz.
func (r *Runner) Ready(ctx context.Context) error {
	lags, err := r.lags(ctx)
	if err != nil {
		return fmt.Errorf("projections: %w", err)
	}
	var errs []error
	for _, name := range r.Names() {
		if l := lags[name]; l.lag > r.cfg.MaxLag {
			errs = append(errs, fmt.Errorf("projection %s lags %d events behind the log (bound %d)", name, l.lag, r.cfg.MaxLag))
		}
	}
	return errors.Join(errs...)
}
