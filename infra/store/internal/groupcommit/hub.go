package groupcommit

import "sync"

// Hub tells watchers that new events were committed. Notify never blocks:
// each watcher's channel holds at most one pending value, so several commits
// may coalesce into one.
type Hub struct {
	mu     sync.Mutex
	subs   map[chan struct{}]struct{}
	closed bool
}

// NewHub returns a hub without watchers.
func NewHub() *Hub { return &Hub{subs: make(map[chan struct{}]struct{})} }

// Watch registers a watcher. Its channel is closed by the returned stop func
// (which may be called more than once) or when the hub closes.
func (h *Hub) Watch() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(ch)
		return ch, func() {}
	}
	h.subs[ch] = struct{}{}
	return ch, func() { h.stop(ch) }
}

// stop unregisters and closes ch unless that already happened.
func (h *Hub) stop(ch chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[ch]; ok {
		delete(h.subs, ch)
		close(ch)
	}
}

// Notify signals every watcher without waiting for any of them.
func (h *Hub) Notify() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Close closes every watcher's channel; later watches get a closed channel.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		delete(h.subs, ch)
		close(ch)
	}
	h.closed = true
}
