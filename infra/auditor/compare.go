package auditor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
	"github.com/erasmus-ledger/ledger/projections/directory"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// The kinds of discrepancy that comparing the replay with the ledger finds.
const (
	// Differs: what a read endpoint of the ledger serves disagrees with the
	// read model replayed from the log.
	Differs audit.Kind = "read-model-differs"
	// Unanswered: the ledger did not answer a read the comparison needed.
	Unanswered audit.Kind = "unanswered"
)

// compareWorkers is how many reads a comparison has in flight at once.
const compareWorkers = 4

// comparer compares the replayed read models with what the ledger's read
// endpoints serve now. The ledger answers from its latest state, which may
// have moved on since the audited checkpoint, so a difference about streams
// that gained events after the checkpoint is not one.
type comparer struct {
	api    *api
	replay *replay
	sample int
	full   bool
	later  func(ctx context.Context) (map[string]bool, error)

	progress func(what string, done, total int)

	mu       sync.Mutex
	findings []finding
	compared map[string]int
	totals   map[string]int
}

// finding is a difference found, the streams it is about, and how to
// look again: recheck compares the item under key again.
type finding struct {
	audit.Discrepancy
	streams   []string
	what, key string
	recheck   func(ctx context.Context) (*finding, error)
}

// check is one read of the ledger compared with the replay, about one item
// of a read model.
type check func(ctx context.Context, key string) (*finding, error)

// run compares the items under keys, all or a sample, with fn, counting
// them under what. If the ledger has no endpoint for fn's reads, it says so
// once rather than for every item.
func (c *comparer) run(ctx context.Context, what string, keys []string, fn check) {
	keys = c.choose(keys)
	if len(keys) == 0 {
		return
	}
	c.mu.Lock()
	c.totals[what] = len(keys)
	c.mu.Unlock()
	f, err := fn(ctx, keys[0])
	if errors.Is(err, errNoEndpoint) {
		c.record(what, keys[0], fn, &finding{Discrepancy: audit.Discrepancy{Kind: Unanswered, Detail: fmt.Sprintf("%s not compared: %v", what, err)}})
		return
	}
	c.record(what, keys[0], fn, unanswered(what, keys[0], f, err))
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range compareWorkers {
		wg.Go(func() {
			for key := range jobs {
				f, err := fn(ctx, key)
				c.record(what, key, fn, unanswered(what, key, f, err))
			}
		})
	}
	for _, k := range keys[1:] {
		jobs <- k
	}
	close(jobs)
	wg.Wait()
}

// unanswered is f, or the finding that the read of key failed with err.
func unanswered(what, key string, f *finding, err error) *finding {
	if err == nil {
		return f
	}
	return &finding{Discrepancy: audit.Discrepancy{Kind: Unanswered, Detail: fmt.Sprintf("%s %s: %v", what, key, err)}}
}

// choose returns every key with full, else a random sample of them.
func (c *comparer) choose(keys []string) []string {
	if c.full || len(keys) <= c.sample {
		return keys
	}
	rand.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	return keys[:c.sample]
}

// record counts the comparison of the item under key and keeps its
// finding, if any, with the way to compare the item again.
func (c *comparer) record(what, key string, fn check, f *finding) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.compared[what]++
	if c.progress != nil {
		c.progress(what, c.compared[what], c.totals[what])
	}
	if f != nil {
		f.what, f.key = what, key
		f.recheck = func(ctx context.Context) (*finding, error) { return fn(ctx, key) }
		c.findings = append(c.findings, *f)
	}
}

// recheckAfter is how long a comparison waits before reading again what
// differed, so that a read model the ledger had not yet brought up to date
// is not taken for a wrong one.
const recheckAfter = time.Second

// settle drops the differences about streams that changed after the
// audited checkpoint, reads once more what still differs, after a pause,
// and returns the differences that remain.
func (c *comparer) settle(ctx context.Context) ([]audit.Discrepancy, error) {
	var out []audit.Discrepancy
	var differing []finding
	for _, f := range c.findings {
		if f.Kind == Differs {
			differing = append(differing, f)
		} else {
			out = append(out, f.Discrepancy)
		}
	}
	if len(differing) == 0 {
		return out, nil
	}
	moved, err := c.later(ctx)
	if err != nil {
		return nil, err
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(recheckAfter):
	}
	for _, f := range differing {
		if touches(moved, f.streams) {
			c.compared["changed since the checkpoint, not compared"]++
			continue
		}
		again, err := f.recheck(ctx)
		if again = unanswered(f.what, f.key, again, err); again != nil {
			out = append(out, again.Discrepancy)
		}
	}
	return out, nil
}

// touches reports whether any of streams is in moved.
func touches(moved map[string]bool, streams []string) bool {
	for _, s := range streams {
		if moved[s] {
			return true
		}
	}
	return false
}

// keysOf lists the keys of the documents in docs of type *T for which keep
// holds.
func keysOf[T any](docs *projections.Memory, keep func(*T) bool) []string {
	var out []string
	for _, k := range docs.Keys() {
		d, _ := docs.Get(context.Background(), k)
		if t, ok := d.(*T); ok && keep(t) {
			out = append(out, k)
		}
	}
	return out
}

// all keeps every document.
func all[T any](*T) bool { return true }

// compare compares the replayed read models with what the ledger serves:
// credentials, which are public, and with a token organisations and
// transcripts.
func (o Options) compare(ctx context.Context, c *audit.Client, res *Result) error {
	if c == nil || res.replay == nil || res.Report.Entries == 0 {
		return nil
	}
	size := res.Report.Checkpoint.Size
	cmp := &comparer{api: &api{base: o.URL, http: o.HTTP, token: o.Token}, replay: res.replay, sample: o.Sample, full: o.Full,
		progress: o.Comparing, compared: res.Compared, totals: map[string]int{},
		later: func(ctx context.Context) (map[string]bool, error) { return laterStreams(ctx, c, size) }}
	docs := res.replay.docs
	cmp.run(ctx, "credentials", keysOf(docs(credentialstatus.Name), all[credentialstatus.Credential]), cmp.credentials)
	if o.Token != "" {
		registered := func(d *directory.Organisation) bool { return d.Registered }
		cmp.run(ctx, "organisations", keysOf(docs(directory.Name), registered), cmp.organisations)
		cmp.run(ctx, "transcripts", keysOf(docs(transcript.Name), all[transcript.Participant]), cmp.transcripts)
	}
	found, err := cmp.settle(ctx)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	res.Findings = append(res.Findings, found...)
	return nil
}

// maxLater is the most entries after the audited checkpoint read to learn
// which streams changed since.
const maxLater = 1_000_000

// laterStreams lists the streams of the entries the ledger recorded after
// its first size entries.
func laterStreams(ctx context.Context, c *audit.Client, size uint64) (map[string]bool, error) {
	body := c.Entries(ctx, size, size+maxLater)
	defer body.Close()
	r := entry.NewReader(body)
	moved := map[string]bool{}
	for {
		e, err := r.Next()
		if err == io.EOF {
			return moved, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read the entries after the checkpoint: %w", err)
		}
		rec, err := leaf.Decode(e.Leaf)
		if err != nil {
			return nil, fmt.Errorf("entry %d, after the checkpoint: %w", e.Index, err)
		}
		moved[rec.Stream] = true
	}
}
