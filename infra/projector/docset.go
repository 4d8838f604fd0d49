package projector

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/erasmus-ledger/ledger/projections"
)

// docSet is the documents of one generation as a fold sees them: those loaded
// or changed so far, held decoded, and the keys changed since the last commit.
// When complete, it holds every document of the generation, so a key it lacks
// has no document and is not looked up.
type docSet struct {
	proj     projections.Projection
	load     func(ctx context.Context, key string) ([]byte, bool, error)
	docs     map[string]any // nil value: known to have no document
	dirty    map[string]struct{}
	complete bool
}

func newDocSet(p projections.Projection, load func(context.Context, string) ([]byte, bool, error), complete bool) *docSet {
	return &docSet{proj: p, load: load, docs: map[string]any{}, dirty: map[string]struct{}{}, complete: complete}
}

var _ projections.Docs = (*docSet)(nil)

// Get implements projections.Docs.
func (s *docSet) Get(ctx context.Context, key string) (any, error) {
	if v, ok := s.docs[key]; ok || s.complete {
		return v, nil
	}
	raw, found, err := s.load(ctx, key)
	if err != nil {
		return nil, err
	}
	var v any
	if found {
		if v, err = s.decode(key, raw); err != nil {
			return nil, err
		}
	}
	s.docs[key] = v
	return v, nil
}

// decode returns the stored document raw under key.
func (s *docSet) decode(key string, raw []byte) (any, error) {
	v, err := s.proj.New(key)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("projection %s: document %s: %w", s.proj.Name(), key, err)
	}
	return v, nil
}

// Put implements projections.Docs.
func (s *docSet) Put(key string, doc any) {
	s.docs[key] = doc
	s.dirty[key] = struct{}{}
}

// changed returns the keys changed since the last commit, sorted, and their
// documents as JSON, encoded on every core.
func (s *docSet) changed() ([]string, [][]byte, error) {
	keys := make([]string, 0, len(s.dirty))
	for k := range s.dirty {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([][]byte, len(keys))
	err := parallel(len(keys), func(i int) error {
		b, err := json.Marshal(s.docs[keys[i]])
		out[i] = b
		return err
	})
	return keys, out, err
}

// committed forgets the changed keys after a commit, and drops every document
// once more than max are held.
func (s *docSet) committed(max int) {
	clear(s.dirty)
	if len(s.docs) > max {
		s.docs, s.complete = map[string]any{}, false
	}
}

// parallelMin is the least number of items worth spreading over cores.
const parallelMin = 256

// parallel calls f for 0 ≤ i < n, spread over every core, and returns the
// first error.
func parallel(n int, f func(i int) error) error {
	workers := runtime.GOMAXPROCS(0)
	if n < parallelMin || workers == 1 {
		for i := range n {
			if err := f(i); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				if err := f(i); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
