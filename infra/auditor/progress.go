package auditor

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// The least time between two progress updates, on a terminal and elsewhere.
const (
	redrawEvery = 100 * time.Millisecond
	lineEvery   = 5 * time.Second
)

// barWidth is the width of the progress bar, in characters.
const barWidth = 30

// Progress shows how far an audit has come, stage by stage (entries read,
// then items compared): on a terminal, a bar redrawn in place; elsewhere (a
// log file, a CI job), a plain line every few seconds. Its Update is an
// Options.Progress, its Compared an Options.Comparing.
type Progress struct {
	w        io.Writer
	terminal bool
	now      func() time.Time

	mu          sync.Mutex
	stage       string
	start, last time.Time // of the stage
	drawn       bool
}

// NewProgress returns a Progress writing to w, a terminal if terminal is set.
// The first stage starts now.
func NewProgress(w io.Writer, terminal bool, now func() time.Time) *Progress {
	t := now()
	return &Progress{w: w, terminal: terminal, now: now, start: t, last: t}
}

// Update shows that read of total entries were read.
func (p *Progress) Update(read, total uint64) { p.show("entries read", read, total) }

// Compared shows that done of total items of a read model (what, such as
// "credentials") were compared with the ledger.
func (p *Progress) Compared(what string, done, total int) {
	p.show(what+" compared", uint64(done), uint64(total))
}

// show shows that done of total things of stage are done.
func (p *Progress) show(stage string, done, total uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	if stage != p.stage {
		p.end()
		if p.stage != "" {
			p.start = p.last // the previous stage's last update, at its end
		}
		p.stage = stage
	}
	every := lineEvery
	if p.terminal {
		every = redrawEvery
	}
	if t.Sub(p.last) < every && done < total {
		return
	}
	p.last = t
	if p.terminal {
		fmt.Fprintf(p.w, "\r%s", p.bar(done, total, t))
		p.drawn = true
		return
	}
	fmt.Fprintf(p.w, "audit: %d of %d %s (%d%%)\n", done, total, stage, percent(done, total))
}

// Done ends the bar's line, if one was drawn.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.end()
}

// end ends the bar's line, if one was drawn.
func (p *Progress) end() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// bar is the progress bar line.
func (p *Progress) bar(done, total uint64, t time.Time) string {
	filled := int(uint64(barWidth) * done / max(total, 1))
	rate := ""
	if s := t.Sub(p.start).Seconds(); s > 0 {
		rate = fmt.Sprintf("  %.0f/s", float64(done)/s)
	}
	return fmt.Sprintf("[%s%s] %3d%%  %d / %d %s%s", strings.Repeat("#", filled), strings.Repeat("-", barWidth-filled),
		percent(done, total), done, total, p.stage, rate)
}

// percent is done as a whole percentage of total; 100 for an empty total.
func percent(done, total uint64) uint64 {
	if total == 0 {
		return 100
	}
	return 100 * done / total
}
