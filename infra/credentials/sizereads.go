package credentials

import (
	"context"
	"sync"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// sizeReadTimeout bounds a shared read of the log's size, which runs on
// behalf of callers that may have gone.
const sizeReadTimeout = 10 * time.Second

// sizeReads reads the log's size for many concurrent callers with few
// queries. Each caller gets the size from a read that began after it called,
// so the size counts every event committed before the call, as a read of its
// own would: the first caller reads at once; callers that come while a read
// runs share the one read that starts when it ends.
type sizeReads struct {
	log     store.Log
	mu      sync.Mutex
	running bool
	next    *sizeRead // the read that starts when the running one ends
}

// sizeRead is one shared read, by callers in number; done closes once size
// and err are set.
type sizeRead struct {
	done    chan struct{}
	callers int
	size    uint64
	err     error
}

// read returns the log's size, read after the call began.
func (r *sizeReads) read(ctx context.Context) (uint64, error) {
	r.mu.Lock()
	if !r.running {
		r.running = true
		r.mu.Unlock()
		size, err := r.log.Size(ctx)
		r.finish()
		return size, err
	}
	f := r.next
	if f == nil {
		f = &sizeRead{done: make(chan struct{})}
		r.next = f
	}
	f.callers++
	r.mu.Unlock()
	select {
	case <-f.done:
		return f.size, f.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// finish ends the running read and starts the next one, if a caller waits
// for it.
func (r *sizeReads) finish() {
	r.mu.Lock()
	f := r.next
	r.next, r.running = nil, f != nil
	r.mu.Unlock()
	if f == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), sizeReadTimeout)
		defer cancel()
		f.size, f.err = r.log.Size(ctx)
		close(f.done)
		r.finish()
	}()
}
