package groupcommit

import (
	"context"
	"testing"
)

// BenchmarkHandoff is the cost a lone Append pays for going through the
// committer goroutine, with a commit that does nothing.
func BenchmarkHandoff(b *testing.B) {
	c := Start(func(_ context.Context, reqs []*Request) {
		for _, r := range reqs {
			r.Succeed(nil)
		}
	}, NewHub(), nil)
	defer c.Stop()
	evs := ev("e")
	for b.Loop() {
		if _, err := c.Append(b.Context(), "s", 0, evs); err != nil {
			b.Fatal(err)
		}
	}
}
