package bench

import (
	"fmt"
	"strings"
	"time"
)

// Status is how a scenario fared against its target.
type Status string

// The statuses. A scenario whose feature the ledger lacks is NotRun, one that
// broke while running is Error; either has its reason in Result.Detail and is
// never given a figure.
const (
	Pass   Status = "pass"
	Fail   Status = "fail"
	NotRun Status = "not run"
	Error  Status = "error"
)

// Result is one row of the report: a scenario on one backend, beside the
// baseline measured in the same run on the same machine.
type Result struct {
	Scenario string
	Backend  string
	// Unit is the unit of Figure and Baseline, such as "events/s" or "MB".
	Unit     string
	Figure   float64
	Baseline float64 // 0 when the scenario has no baseline.
	// BaselineName says what the baseline measured.
	BaselineName string
	// P50 and P99 are latency percentiles of one operation; 0 when the
	// scenario has no latency.
	P50, P99 time.Duration
	Ops      int // operations measured, subject side only
	Target   Target
	Status   Status
	Detail   string // why the target was missed, or why the scenario did not run
}

// Ratio is Figure over Baseline, or 0 without a baseline.
func (r Result) Ratio() float64 {
	if r.Baseline <= 0 {
		return 0
	}
	return r.Figure / r.Baseline
}

// judged returns r with Status and Detail set from its target.
func (r Result) judged() Result {
	misses := r.Target.misses(r)
	r.Status, r.Detail = Pass, ""
	if len(misses) > 0 {
		r.Status, r.Detail = Fail, strings.Join(misses, "; ")
	}
	return r
}

// Target is what a scenario must reach. Zero fields set no bound.
type Target struct {
	MinRatio  float64       // Figure/Baseline at least this.
	MinFigure float64       // Figure at least this.
	MaxFigure float64       // Figure at most this.
	MaxP99    time.Duration // p99 latency at most this.
	Unit      string        // the unit of MinFigure and MaxFigure.
}

// String is the target as the table prints it, such as "≥50% of baseline,
// p99 ≤ 25ms".
func (t Target) String() string {
	var parts []string
	if t.MinRatio > 0 {
		parts = append(parts, fmt.Sprintf("≥%g%% of baseline", t.MinRatio*100))
	}
	if t.MinFigure > 0 {
		parts = append(parts, strings.TrimSpace("≥"+number(t.MinFigure)+" "+t.Unit))
	}
	if t.MaxFigure > 0 {
		parts = append(parts, strings.TrimSpace("≤"+number(t.MaxFigure)+" "+t.Unit))
	}
	if t.MaxP99 > 0 {
		parts = append(parts, "p99 ≤ "+t.MaxP99.String())
	}
	return strings.Join(parts, ", ")
}

// misses lists the bounds of t that r does not meet.
func (t Target) misses(r Result) []string {
	var m []string
	if t.MinRatio > 0 && r.Ratio() < t.MinRatio {
		m = append(m, fmt.Sprintf("ratio %.1f%% < %g%%", r.Ratio()*100, t.MinRatio*100))
	}
	if t.MinFigure > 0 && r.Figure < t.MinFigure {
		m = append(m, fmt.Sprintf("%s < %s %s", number(r.Figure), number(t.MinFigure), r.Unit))
	}
	if t.MaxFigure > 0 && r.Figure > t.MaxFigure {
		m = append(m, fmt.Sprintf("%s > %s %s", number(r.Figure), number(t.MaxFigure), r.Unit))
	}
	if t.MaxP99 > 0 && r.P99 > t.MaxP99 {
		m = append(m, fmt.Sprintf("p99 %s > %s", milliseconds(r.P99), t.MaxP99))
	}
	return m
}

// number formats a figure with thousands separators and no decimals above
// 100, one decimal below.
func number(f float64) string {
	if f < 100 {
		return fmt.Sprintf("%.1f", f)
	}
	s := fmt.Sprintf("%.0f", f)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// milliseconds formats a latency in milliseconds with two decimals.
func milliseconds(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}
