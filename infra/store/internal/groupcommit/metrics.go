package groupcommit

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the append path's Prometheus series. A nil *Metrics records
// nothing, for stores opened without a registerer.
type Metrics struct {
	appendDuration prometheus.Histogram
	batchSize      prometheus.Histogram
	logSize        prometheus.Gauge
}

// NewMetrics registers the series on reg; it returns nil for a nil reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	if reg == nil {
		return nil, nil
	}
	m := &Metrics{
		appendDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "ledger_append_duration_seconds",
			Help:    "Time from an append's arrival to its commit, queueing included, in seconds.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
		batchSize: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "ledger_append_batch_size",
			Help:    "Append requests committed together in one transaction.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
		logSize: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ledger_log_size",
			Help: "Events in the log, as last committed or read by this process.",
		}),
	}
	if err := register(reg, m.appendDuration, m.batchSize, m.logSize); err != nil {
		return nil, err
	}
	return m, nil
}

// register registers cs on reg, all or none.
func register(reg prometheus.Registerer, cs ...prometheus.Collector) error {
	for i, c := range cs {
		if err := reg.Register(c); err != nil {
			for _, done := range cs[:i] {
				reg.Unregister(done)
			}
			return fmt.Errorf("register store metrics: %w", err)
		}
	}
	return nil
}

// observeAppend records one request's time in the queue and the commit.
func (m *Metrics) observeAppend(d time.Duration) {
	if m != nil {
		m.appendDuration.Observe(d.Seconds())
	}
}

// observeBatch records how many requests one commit carried.
func (m *Metrics) observeBatch(n int) {
	if m != nil {
		m.batchSize.Observe(float64(n))
	}
}

// SetLogSize records the number of events in the log.
func (m *Metrics) SetLogSize(n uint64) {
	if m != nil {
		m.logSize.Set(float64(n))
	}
}
