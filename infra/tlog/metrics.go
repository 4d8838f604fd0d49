package tlog

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// gauges is what this process knows of the tree and the checkpoints, kept for
// the metrics and for Leading.
type gauges struct {
	treeSize   atomic.Int64
	signedSize atomic.Int64
	signedAt   atomic.Int64 // Unix microseconds; 0 before the first checkpoint
	leading    atomic.Bool
}

// checkpoint records the latest checkpoint known.
func (g *gauges) checkpoint(s Signed) {
	g.signedSize.Store(int64(s.Size))
	g.signedAt.Store(s.SignedAt.UnixMicro())
}

// register exposes the gauges on reg:
//
//	ledger_tlog_tree_size               entries covered by the stored tree
//	ledger_tlog_checkpoint_size         entries covered by the latest checkpoint
//	ledger_tlog_checkpoint_age_seconds  time since the latest checkpoint was signed (0 before the first)
//	ledger_tlog_signer                  1 while this process builds the tree and signs
//
// A checkpoint may age while the log is idle: alert on age together with
// tree_size > checkpoint_size.
func (g *gauges) register(reg prometheus.Registerer, now func() time.Time) error {
	age := func() float64 {
		at := g.signedAt.Load()
		if at == 0 {
			return 0
		}
		return now().Sub(time.UnixMicro(at)).Seconds()
	}
	collectors := []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ledger_tlog_tree_size", Help: "Log entries covered by the stored Merkle tree."},
			func() float64 { return float64(g.treeSize.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ledger_tlog_checkpoint_size", Help: "Log entries covered by the latest signed checkpoint."},
			func() float64 { return float64(g.signedSize.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ledger_tlog_checkpoint_age_seconds", Help: "Seconds since the latest checkpoint was signed."}, age),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "ledger_tlog_signer", Help: "1 while this process builds the tree and signs checkpoints."},
			func() float64 {
				if g.leading.Load() {
					return 1
				}
				return 0
			}),
	}
	for _, c := range collectors {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("register tlog metrics: %w", err)
		}
	}
	return nil
}
