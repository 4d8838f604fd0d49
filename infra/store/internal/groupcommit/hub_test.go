package groupcommit

import "testing"

func TestHub(t *testing.T) {
	h := NewHub()
	a, stopA := h.Watch()
	b, _ := h.Watch()
	h.Notify()
	h.Notify() // Coalesces with the first: nobody has read yet, and Notify must not block.
	for _, ch := range []<-chan struct{}{a, b} {
		if _, ok := <-ch; !ok {
			t.Fatal("a watcher's channel is closed after Notify")
		}
		select {
		case <-ch:
			t.Fatal("two notifications were not coalesced")
		default:
		}
	}
	stopA()
	stopA()
	if _, ok := <-a; ok {
		t.Error("a stopped watcher's channel is open")
	}
	h.Notify()
	h.Close()
	if _, ok := <-b; !ok {
		t.Error("a notification sent before Close was lost")
	}
	if _, ok := <-b; ok {
		t.Error("a watcher's channel is open after Close")
	}
	late, stopLate := h.Watch()
	stopLate()
	if _, ok := <-late; ok {
		t.Error("a watch made after Close is open")
	}
}
