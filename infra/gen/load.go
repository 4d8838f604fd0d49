package gen

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/commands"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// Append is one generated event in stored form, ready to append to Stream at
// version Expected. Index is its place among the generated events; After
// lists the indexes of the appends that must be committed before it: the
// previous event of its stream, and the events of other streams the domain
// requires first (the enrolment before a mobility, the completion before a
// credential).
type Append struct {
	Index    int
	Stream   string
	Expected uint64
	Event    store.Event
	After    []int
}

// Encode turns events into appends with c, which seals personal data.
func Encode(ctx context.Context, c *codec.Codec, events []*Event) ([]Append, error) {
	out := make([]Append, len(events))
	last := map[string]int{}
	version := map[string]uint64{}
	for i, e := range events {
		se, err := c.Encode(ctx, commands.NewID("ev"), e.Event, store.Metadata{Actor: "gen"})
		if err != nil {
			return nil, fmt.Errorf("gen: event %d: %w", i, err)
		}
		a := Append{Index: i, Stream: e.Stream, Expected: version[e.Stream], Event: se}
		if j, ok := last[e.Stream]; ok {
			a.After = append(a.After, j)
		}
		for _, dep := range e.after {
			a.After = append(a.After, dep.index)
		}
		out[i] = a
		last[e.Stream], version[e.Stream] = i, version[e.Stream]+1
	}
	return out, nil
}

// Load appends appends, consecutive generated events, to log with workers
// concurrent writers, each append waiting for those it comes after; the
// store's group commit then writes many in one transaction. The events
// generated before appends[0] must be in the log already.
func Load(ctx context.Context, log store.Log, appends []Append, workers int) error {
	if len(appends) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	first := appends[0].Index
	done := make([]chan struct{}, len(appends))
	for i := range done {
		done[i] = make(chan struct{})
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Go(func() {
			for i := range jobs {
				if err := appendAfter(ctx, log, appends[i], first, done); err != nil {
					cancel(err)
					return
				}
				close(done[i])
			}
		})
	}
	for i := range appends {
		select {
		case jobs <- i:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return ctx.Err()
}

// appendAfter waits for the appends a comes after, then appends it. done
// holds a channel per append from index first on.
func appendAfter(ctx context.Context, log store.Log, a Append, first int, done []chan struct{}) error {
	for _, j := range a.After {
		if j < first {
			continue
		}
		select {
		case <-done[j-first]:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	if _, err := log.Append(ctx, a.Stream, a.Expected, []store.Event{a.Event}); err != nil {
		return fmt.Errorf("gen: append to %s at %d: %w", a.Stream, a.Expected, err)
	}
	return nil
}
