package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// testWatch checks that watchers hear of commits without ever holding up the
// writer, and that stopping a watch closes its channel.
func testWatch(t *testing.T, open func(t *testing.T) store.Backend) {
	b := open(t)
	ch, stop := b.Watch()
	idle, stopIdle := b.Watch()
	defer stopIdle()
	mustAppend(t, b, "s", 0, event("e1"))
	waitFor(t, ch, "a watcher after an append")
	for i := range 3 { // Nobody reads idle: the writer must not wait for it.
		mustAppend(t, b, "s", uint64(i+1), event(fmt.Sprintf("more-%d", i)))
	}
	waitFor(t, ch, "a watcher after more appends")
	waitFor(t, idle, "an idle watcher")
	stop()
	stop()
	waitClosed(t, ch)
}

// waitClosed waits up to 5 s for ch to be closed, draining values sent before.
func waitClosed(t *testing.T, ch <-chan struct{}) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatal("a stopped watch's channel is still open after 5 s")
		}
	}
}

// waitFor waits up to 5 s for a value on ch.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case _, ok := <-ch:
		if !ok {
			t.Fatalf("%s: the channel is closed", what)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no signal within 5 s", what)
	}
}
