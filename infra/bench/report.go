package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the outcome of a run: one result per scenario and backend, in
// the order they ran.
type Report struct {
	// ID names the run; its schemas and directories carry it.
	ID       string
	Quick    bool
	Started  time.Time
	Duration time.Duration
	Results  []Result
}

// Failed reports whether some scenario missed its target or did not run.
func (r Report) Failed() bool {
	return slices.ContainsFunc(r.Results, func(x Result) bool { return x.Status != Pass })
}

// Broken reports whether some scenario broke while running: the harness or
// the ledger failed, as opposed to being slow or lacking a feature.
func (r Report) Broken() bool {
	return slices.ContainsFunc(r.Results, func(x Result) bool { return x.Status == Error })
}

// Columns are the table's column headers, in order.
var Columns = []string{"SCENARIO", "BACKEND", "FIGURE", "BASELINE", "RATIO", "TARGET", "P50", "P99", "RESULT"}

// WriteTable prints the report as an aligned table, then what each baseline
// measured and why any target was missed or any scenario did not run.
func (r Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, joinTabs(Columns))
	for _, x := range r.Results {
		fmt.Fprintln(tw, joinTabs(x.cells()))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s run %s, %s, started %s\n", r.mode(), r.ID, r.Duration.Round(time.Second), r.Started.UTC().Format(time.RFC3339))
	said := map[string]bool{}
	for _, x := range r.Results {
		if x.BaselineName != "" && !said[x.Scenario+x.BaselineName] {
			said[x.Scenario+x.BaselineName] = true
			fmt.Fprintf(w, "  %s baseline: %s\n", x.Scenario, x.BaselineName)
		}
		if x.Detail != "" && (x.Status == Fail || len(oneLine(x.Detail)) > 100) {
			fmt.Fprintf(w, "  %s/%s %s: %s\n", x.Scenario, x.Backend, x.Status, oneLine(x.Detail))
		}
	}
	return nil
}

func (r Report) mode() string {
	if r.Quick {
		return "quick"
	}
	return "full"
}

// cells are x's table cells, in the order of Columns.
func (x Result) cells() []string {
	if x.Status == NotRun || x.Status == Error {
		return []string{x.Scenario, x.Backend, "-", "-", "-", x.Target.String(), "-", "-", string(x.Status) + ": " + shorten(x.Detail, 100)}
	}
	c := []string{x.Scenario, x.Backend, number(x.Figure) + " " + x.Unit, "-", "-", x.Target.String(), "-", "-", string(x.Status)}
	if x.Baseline > 0 {
		c[3], c[4] = number(x.Baseline)+" "+x.Unit, fmt.Sprintf("%.1f%%", x.Ratio()*100)
	}
	if x.P99 > 0 {
		c[6], c[7] = milliseconds(x.P50), milliseconds(x.P99)
	}
	return c
}

func joinTabs(cells []string) string { return strings.Join(cells, "\t") }

// oneLine is s with its runs of white space, line breaks among them, made
// single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// shorten is oneLine(s) cut to at most n runes, marked with "…" if cut.
func shorten(s string, n int) string {
	s = oneLine(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// jsonResult is a Result as --json prints it: latencies in milliseconds,
// the ratio and target spelled out.
type jsonResult struct {
	Scenario     string   `json:"scenario"`
	Backend      string   `json:"backend"`
	Unit         string   `json:"unit,omitempty"`
	Figure       *float64 `json:"figure,omitempty"`
	Baseline     *float64 `json:"baseline,omitempty"`
	BaselineName string   `json:"baseline_name,omitempty"`
	Ratio        *float64 `json:"ratio,omitempty"`
	Target       string   `json:"target"`
	P50ms        *float64 `json:"p50_ms,omitempty"`
	P99ms        *float64 `json:"p99_ms,omitempty"`
	Ops          int      `json:"ops,omitempty"`
	Status       Status   `json:"status"`
	Detail       string   `json:"detail,omitempty"`
}

// jsonReport is a Report as --json prints it.
type jsonReport struct {
	ID      string       `json:"id"`
	Mode    string       `json:"mode"`
	Started time.Time    `json:"started"`
	Seconds float64      `json:"seconds"`
	Failed  bool         `json:"failed"`
	Results []jsonResult `json:"results"`
}

// WriteJSON prints the report as one indented JSON object.
func (r Report) WriteJSON(w io.Writer) error {
	out := jsonReport{ID: r.ID, Mode: r.mode(), Started: r.Started.UTC(), Seconds: r.Duration.Seconds(), Failed: r.Failed(), Results: []jsonResult{}}
	for _, x := range r.Results {
		out.Results = append(out.Results, x.json())
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func (x Result) json() jsonResult {
	j := jsonResult{Scenario: x.Scenario, Backend: x.Backend, Target: x.Target.String(), Status: x.Status, Detail: x.Detail}
	if x.Status == NotRun || x.Status == Error {
		return j
	}
	j.Unit, j.Figure, j.Ops = x.Unit, &x.Figure, x.Ops
	if x.Baseline > 0 {
		ratio := x.Ratio()
		j.Baseline, j.BaselineName, j.Ratio = &x.Baseline, x.BaselineName, &ratio
	}
	if x.P99 > 0 {
		p50, p99 := x.P50.Seconds()*1000, x.P99.Seconds()*1000
		j.P50ms, j.P99ms = &p50, &p99
	}
	return j
}
