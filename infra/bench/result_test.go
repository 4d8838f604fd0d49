package bench

import (
	"context"
	"errors"
	"iter"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
)

func TestTargetJudgesResults(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	for _, tc := range []struct {
		name   string
		target Target
		result Result
		want   Status
		detail string
	}{
		{"ratio met", Target{MinRatio: 0.5}, Result{Figure: 60, Baseline: 100}, Pass, ""},
		{"ratio missed", Target{MinRatio: 0.5}, Result{Figure: 40, Baseline: 100}, Fail, "ratio 40.0% < 50%"},
		{"no baseline misses a ratio", Target{MinRatio: 0.5}, Result{Figure: 40}, Fail, "ratio 0.0% < 50%"},
		{"p99 missed", Target{MinRatio: 0.5, MaxP99: 25 * ms}, Result{Figure: 60, Baseline: 100, P99: 30 * ms}, Fail, "p99 30.00ms > 25ms"},
		{"both missed", Target{MinRatio: 0.9, MaxP99: 25 * ms}, Result{Figure: 60, Baseline: 100, P99: 30 * ms}, Fail,
			"ratio 60.0% < 90%; p99 30.00ms > 25ms"},
		{"floor met", Target{MinFigure: 5000, Unit: "commands/s"}, Result{Figure: 5000, Unit: "commands/s"}, Pass, ""},
		{"floor missed", Target{MinFigure: 5000}, Result{Figure: 1234.4, Unit: "commands/s"}, Fail, "1,234 < 5,000 commands/s"},
		{"ceiling met", Target{MaxFigure: 200}, Result{Figure: 199.9, Unit: "MB"}, Pass, ""},
		{"ceiling missed", Target{MaxFigure: 200}, Result{Figure: 250, Unit: "MB"}, Fail, "250 > 200 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.result.Target = tc.target
			got := tc.result.judged()
			if got.Status != tc.want || got.Detail != tc.detail {
				t.Errorf("judged = %s %q, want %s %q", got.Status, got.Detail, tc.want, tc.detail)
			}
		})
	}
}

func TestTargetString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		target Target
		want   string
	}{
		{Target{MinRatio: 0.5, MaxP99: 25 * time.Millisecond}, "≥50% of baseline, p99 ≤ 25ms"},
		{Target{MinRatio: 0.9}, "≥90% of baseline"},
		{Target{MinFigure: 150000, Unit: "events/s"}, "≥150,000 events/s"},
		{Target{MaxFigure: 200, Unit: "MB"}, "≤200 MB"},
		{Target{}, ""},
	} {
		if got := tc.target.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.target, got, tc.want)
		}
	}
}

func TestNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f    float64
		want string
	}{{0, "0.0"}, {12.34, "12.3"}, {100, "100"}, {999.6, "1,000"}, {1234567, "1,234,567"}, {150000, "150,000"}} {
		if got := number(tc.f); got != tc.want {
			t.Errorf("number(%g) = %q, want %q", tc.f, got, tc.want)
		}
	}
}

func TestMeasurePercentiles(t *testing.T) {
	t.Parallel()
	var lat []time.Duration
	for i := range 100 {
		lat = append(lat, time.Duration(100-i)*time.Millisecond)
	}
	slices.Sort(lat)
	m := Measure{Ops: 100, Elapsed: 2 * time.Second, latencies: lat}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0.001, time.Millisecond}} {
		if got := m.Percentile(tc.q); got != tc.want {
			t.Errorf("Percentile(%g) = %s, want %s", tc.q, got, tc.want)
		}
	}
	if got := m.Rate(); got != 50 {
		t.Errorf("Rate = %g, want 50", got)
	}
	both := m.Plus(Measure{Ops: 1, Elapsed: time.Second, latencies: []time.Duration{time.Hour}})
	if both.Ops != 101 || both.Elapsed != 3*time.Second || both.Percentile(1) != time.Hour {
		t.Errorf("Plus = %d ops in %s, max %s", both.Ops, both.Elapsed, both.Percentile(1))
	}
	if (Measure{}).Percentile(0.5) != 0 || (Measure{}).Rate() != 0 {
		t.Error("an empty measure has latencies or a rate")
	}
}

func TestSplitKeepsStreamsWholeAndBalanced(t *testing.T) {
	t.Parallel()
	var streams []streamEvents
	for i := range 40 {
		streams = append(streams, streamEvents{Stream: string(rune('a' + i)), Events: make([]store.Event, 1+i%5)})
	}
	parts := split(streams, 4)
	total := countEvents(streams)
	var joined []streamEvents
	for _, p := range parts {
		if n := countEvents(p); n < total/4-5 || n > total/4+5 {
			t.Errorf("a part holds %d of %d events", n, total)
		}
		joined = append(joined, p...)
	}
	if !slices.EqualFunc(joined, streams, func(a, b streamEvents) bool { return a.Stream == b.Stream && len(a.Events) == len(b.Events) }) {
		t.Error("the parts, joined, are not the streams in order")
	}
}

func TestSizesForOverridesFieldByField(t *testing.T) {
	t.Parallel()
	got := sizesFor(Config{Quick: true, Sizes: Sizes{LedgerEvents: 5}})
	want := quickSizes
	want.LedgerEvents = 5
	if got != want {
		t.Errorf("sizesFor = %+v, want %+v", got, want)
	}
	if got := sizesFor(Config{}); got != fullSizes {
		t.Errorf("sizesFor(full) = %+v, want %+v", got, fullSizes)
	}
}

func TestDriveStopsStartingOpsAtTheBudget(t *testing.T) {
	t.Parallel()
	// Every op lasts until the budget is spent, so however slow the machine,
	// a worker that honours the budget starts at most one op.
	until := time.Now().Add(20 * time.Millisecond)
	work := func(int) iter.Seq[Op] {
		return func(yield func(Op) bool) {
			for range 1000 {
				if !yield(func(context.Context) error { time.Sleep(time.Until(until) + time.Millisecond); return nil }) {
					return
				}
			}
		}
	}
	m, err := driveUntil(t.Context(), 2, nil, until, work)
	if err != nil {
		t.Fatal(err)
	}
	if m.Ops > 2 {
		t.Errorf("%d ops started by 2 workers, want at most one each: ops went on after the budget", m.Ops)
	}
}

func TestDriveStopsAtTheFirstError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var n atomic.Int64
	work := func(int) iter.Seq[Op] {
		return func(yield func(Op) bool) {
			for {
				if !yield(func(context.Context) error {
					if n.Add(1) == 50 {
						return boom
					}
					return nil
				}) {
					return
				}
			}
		}
	}
	if _, err := drive(t.Context(), 4, nil, work); !errors.Is(err, boom) {
		t.Errorf("drive = %v, want %v", err, boom)
	}
}
