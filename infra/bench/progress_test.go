package bench

import (
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCounterReportsAStall(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		moving bool
		want   int32
	}{{"stuck", false, 1}, {"moving", true, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			p := NewProgress(io.Discard, 5*time.Millisecond)
			c := p.count("phase", 10, func(label string, after time.Duration) {
				if label != "phase" || after != 40*time.Millisecond {
					t.Errorf("stalled(%q, %s)", label, after)
				}
				calls.Add(1)
			}, 40*time.Millisecond)
			for range 30 {
				if tc.moving {
					c.Add(1)
				}
				time.Sleep(5 * time.Millisecond)
			}
			c.Done()
			if got := calls.Load(); got != tc.want {
				t.Errorf("stalled was called %d times, want %d", got, tc.want)
			}
		})
	}
}

func TestProgressLinesPrefixEveryLine(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	p := NewProgress(&out, time.Second)
	if _, err := (progressLines{p: p, prefix: "ledger"}).Write([]byte("one\n\ntwo\n")); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "] ledger: one") || !strings.HasSuffix(lines[1], "] ledger: two") {
		t.Errorf("progress lines = %q", lines)
	}
}
