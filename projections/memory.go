package projections

import (
	"context"
	"maps"
	"slices"
)

// Memory is a document set held in memory: the time-travel reader folds into
// one, and tests compare read models through it.
type Memory struct {
	docs map[string]any
}

// NewMemory returns an empty document set.
func NewMemory() *Memory { return &Memory{docs: map[string]any{}} }

// Get implements Docs.
func (m *Memory) Get(ctx context.Context, key string) (any, error) { return m.docs[key], nil }

// Put implements Docs.
func (m *Memory) Put(key string, doc any) { m.docs[key] = doc }

// Keys returns the keys of every document, sorted.
func (m *Memory) Keys() []string { return slices.Sorted(maps.Keys(m.docs)) }

// Fold applies to docs, in order, the events of events that p reads.
func Fold(ctx context.Context, p Projection, docs Docs, events []Event) error {
	for _, e := range events {
		if !Wants(p, e.Data.EventType()) {
			continue
		}
		if err := p.Apply(ctx, docs, e); err != nil {
			return err
		}
	}
	return nil
}
