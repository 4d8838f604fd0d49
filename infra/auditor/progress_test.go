package auditor

import (
	"strings"
	"testing"
	"time"
)

// clock is a clock the test moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestProgress(t *testing.T) {
	tests := []struct {
		name     string
		terminal bool
		steps    []time.Duration // time before each update of 100 more entries, of 400
		want     []string        // what the output must contain, in order
		lines    int             // how many lines the output has
	}{
		{name: "a terminal redraws a bar in place", terminal: true,
			steps: []time.Duration{time.Second, 10 * time.Millisecond, time.Second, time.Second},
			want:  []string{"\r[#######-----------------------]  25%  100 / 400 entries read  100/s", "\r[##############################] 100%  400 / 400 entries read"},
			lines: 1},
		{name: "a log gets a line every few seconds and at the end",
			steps: []time.Duration{time.Second, 6 * time.Second, time.Second, time.Second},
			want:  []string{"audit: 200 of 400 entries read (50%)\n", "audit: 400 of 400 entries read (100%)\n"},
			lines: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			c := &clock{t: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)}
			p := NewProgress(&out, tc.terminal, c.now)
			for i, d := range tc.steps {
				c.t = c.t.Add(d)
				p.Update(uint64(100*(i+1)), 400)
			}
			p.Done()
			got := out.String()
			rest := got
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output %q lacks %q", got, w)
				}
				rest = rest[i+len(w):]
			}
			if strings.Count(got, "\n") != tc.lines || strings.Contains(got, "300 of") {
				t.Fatalf("output %q: want %d lines, none about 300 entries", got, tc.lines)
			}
		})
	}
}

// TestProgressStages checks that each stage gets a bar of its own.
func TestProgressStages(t *testing.T) {
	var out strings.Builder
	c := &clock{t: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)}
	p := NewProgress(&out, true, c.now)
	c.t = c.t.Add(time.Second)
	p.Update(400, 400)
	for i := 1; i <= 3; i++ {
		c.t = c.t.Add(time.Second)
		p.Compared("credentials", i, 3)
	}
	p.Done()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "400 / 400 entries read  400/s") || !strings.HasSuffix(lines[1], "3 / 3 credentials compared  1/s") {
		t.Fatalf("output %q", out.String())
	}
}
