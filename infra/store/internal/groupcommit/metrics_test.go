package groupcommit

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	l := newMemLog(false)
	c := Start(l.commit, NewHub(), m)
	for i := range 3 {
		if _, err := c.Append(t.Context(), "s", uint64(i), ev(string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	c.Stop()
	var size dto.Metric
	if err := m.logSize.Write(&size); err != nil {
		t.Fatal(err)
	}
	if got := size.GetGauge().GetValue(); got != 3 {
		t.Errorf("ledger_log_size = %v, want 3", got)
	}
	for name, want := range map[string]int{"ledger_append_batch_size": 3, "ledger_append_duration_seconds": 3} {
		if got := sampleCount(t, reg, name); got != want {
			t.Errorf("%s has %d samples, want %d", name, got, want)
		}
	}
	if _, err := NewMetrics(reg); err == nil {
		t.Error("registering the metrics twice succeeded")
	}
	if families, err := reg.Gather(); err != nil || len(families) != 3 {
		t.Errorf("after a failed registration the registry holds %d series (%v), want the first 3", len(families), err)
	}
	if m, err := NewMetrics(nil); m != nil || err != nil {
		t.Errorf("NewMetrics(nil) = %v, %v; want nil, nil", m, err)
	}
}

// sampleCount is the number of observations of the histogram name in reg.
func sampleCount(t *testing.T, reg *prometheus.Registry, name string) int {
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name {
			return int(f.GetMetric()[0].GetHistogram().GetSampleCount())
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}
