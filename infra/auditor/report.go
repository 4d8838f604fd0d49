package auditor

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
)

// WriteReport writes the audit's report for people: what was checked and
// how it came out, each discrepancy with what and where, and a last line
// that sums it up.
func (r *Result) WriteReport(w io.Writer) {
	c := r.Report.Checkpoint
	line := func(label, format string, a ...any) { fmt.Fprintf(w, "  %-11s %s\n", label, fmt.Sprintf(format, a...)) }
	fmt.Fprintf(w, "Audit of the transparency log %s\n", c.Origin)
	line("key", "%s (%s)", r.Key, r.KeySource)
	if r.signed() {
		line("checkpoint", "%d entries, root %s: signature verified", c.Size, c.Root)
		line("entries", "%d read, %s", r.Report.Entries, r.rootVerdict())
		line("history", "%s", r.historyVerdict())
		if r.replay == nil {
			line("replay", "skipped: the log alone was verified")
		} else {
			line("replay", "%d events folded into the read models %s", r.Replayed, strings.Join(readModelNames(), ", "))
			line("compared", "%s", r.comparedVerdict())
		}
	}
	if r.StateSaved != "" {
		line("state", "saved to %s", r.StateSaved)
	}
	if r.Archived != "" {
		line("archive", "entries saved to %s, the checkpoint to %s", r.Archived, r.Archived+checkpointSuffix)
	}
	if r.KeySource == KeyFirstUse {
		fmt.Fprintf(w, "\nThe key was the one the ledger serves, trusted on first use. Pin it for the audits to come:\n  --key %s\n", r.Key)
	}
	r.writeDiscrepancies(w)
	fmt.Fprintln(w, r.Summary())
}

// signed reports whether the checkpoint's signature verified.
func (r *Result) signed() bool {
	return r.Report.Checkpoint.Origin != ""
}

func (r *Result) rootVerdict() string {
	switch {
	case r.Report.Entries < r.Report.Checkpoint.Size:
		return fmt.Sprintf("fewer than the checkpoint's %d", r.Report.Checkpoint.Size)
	case r.Report.Root == r.Report.Checkpoint.Root:
		return "the recomputed root is the checkpoint's"
	}
	return fmt.Sprintf("the recomputed root %s is NOT the checkpoint's", r.Report.Root)
}

func (r *Result) historyVerdict() string {
	m := r.Remembered
	switch {
	case m == nil:
		return "first audit: no earlier checkpoint to extend"
	case hasKind(r.Report.Discrepancies, audit.Rewritten, audit.Shrunk, audit.OtherLog, audit.Changed, audit.Deleted, audit.Inserted),
		*m == r.Report.Checkpoint && r.Report.Root != m.Root:
		return fmt.Sprintf("does NOT extend the checkpoint of the previous audit (%d entries)", m.Size)
	case r.Report.Entries < m.Size:
		return fmt.Sprintf("not proven: the previous audit saw %d entries", m.Size)
	}
	return fmt.Sprintf("extends the checkpoint of the previous audit: its %d entries are unchanged", m.Size)
}

func (r *Result) comparedVerdict() string {
	if len(r.Compared) == 0 {
		return "nothing with the ledger (offline)"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(r.Compared)) {
		parts = append(parts, fmt.Sprintf("%d %s", r.Compared[k], k))
	}
	verdict := "all agree"
	if hasKind(r.Findings, Differs, Unanswered) {
		verdict = "NOT all agree"
	}
	return fmt.Sprintf("%s with what the ledger serves: %s", strings.Join(parts, ", "), verdict)
}

// writeDiscrepancies lists what was found wrong.
func (r *Result) writeDiscrepancies(w io.Writer) {
	ds := r.Discrepancies()
	if len(ds) == 0 {
		return
	}
	fmt.Fprintf(w, "\nDiscrepancies (%d):\n", len(ds))
	for _, d := range ds {
		fmt.Fprintf(w, "  - %s\n", d)
	}
	if n := r.Report.Suppressed + r.Suppressed; n > 0 {
		fmt.Fprintf(w, "  … and %d more\n", n)
	}
}

// Summary is the report's last line.
func (r *Result) Summary() string {
	rate := ""
	if s := r.Elapsed.Seconds(); s > 0 {
		rate = fmt.Sprintf(", %.0f entries/s", float64(r.Report.Entries)/s)
	}
	took := r.Elapsed.Round(time.Millisecond)
	if r.OK() {
		done := "verified and replayed"
		if r.replay == nil {
			done = "verified"
		}
		return fmt.Sprintf("audit OK: %d entries of %s %s, nothing wrong found (%s%s)", r.Report.Entries, r.Report.Checkpoint.Origin, done, took, rate)
	}
	n := uint64(len(r.Discrepancies())) + r.Report.Suppressed + r.Suppressed
	return fmt.Sprintf("audit FAILED: %d discrepancies; the first: %s (%s%s)", n, r.Discrepancies()[0], took, rate)
}

// hasKind reports whether any of ds is of one of kinds.
func hasKind(ds []audit.Discrepancy, kinds ...audit.Kind) bool {
	for _, d := range ds {
		if slices.Contains(kinds, d.Kind) {
			return true
		}
	}
	return false
}

// readModelNames are the names of the read models replayed.
func readModelNames() []string {
	var out []string
	for _, p := range readModels() {
		out = append(out, p.Name())
	}
	return out
}
