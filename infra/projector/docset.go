package projector

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/projections"
)

// docSet is the documents of one generation as a fold sees them: those loaded
// or changed so far, held decoded, and the keys changed since the last commit.
// When complete, it knows every key of the generation, so a key it lacks has
// no document and is not looked up, and a document it has never stored can be
// inserted without checking for one already there.
type docSet struct {
	proj     projections.Projection
	load     func(ctx context.Context, key string) ([]byte, bool, error)
	docs     map[string]*entry
	dirty    []*entry // every changed entry, and some no longer changed
	complete bool
	epoch    uint32 // advanced by tick
	spilled  int    // entries spilled
}

// entry is what a docSet knows of one key. A nil doc that is not spilled
// means the key has no document. A change marks the entry, and lists it
// unless it is listed already, which costs less than a set of changed keys:
// no hashing of the key again at each change and when it is encoded.
type entry struct {
	key     string
	doc     any
	stored  bool   // the generation may hold a document under the key
	spilled bool   // stored, and dropped from memory: Get loads it again
	changed bool   // put since it was last encoded
	listed  bool   // in the set's dirty list
	used    uint32 // the set's epoch at the last Get or Put
}

func newDocSet(p projections.Projection, load func(context.Context, string) ([]byte, bool, error), complete bool) *docSet {
	return &docSet{proj: p, load: load, docs: map[string]*entry{}, complete: complete}
}

var _ projections.Docs = (*docSet)(nil)

// Get implements projections.Docs.
func (s *docSet) Get(ctx context.Context, key string) (any, error) {
	e, ok := s.docs[key]
	switch {
	case ok && !e.spilled:
		e.used = s.epoch
		return e.doc, nil
	case !ok && s.complete:
		return nil, nil
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
	s.hold(key, e, v).stored = found
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
	e := s.hold(key, s.docs[key], doc)
	e.changed = true
	if !e.listed {
		e.listed = true
		s.dirty = append(s.dirty, e)
	}
}

// hold makes doc the document held under key, whose entry is e (nil if the
// set has none yet), and returns the entry.
func (s *docSet) hold(key string, e *entry, doc any) *entry {
	if e == nil {
		e = &entry{key: key}
		s.docs[key] = e
	}
	if e.spilled {
		s.spilled--
	}
	e.doc, e.spilled, e.used = doc, false, s.epoch
	return e
}

// held is the number of documents the set holds in memory.
func (s *docSet) held() int { return len(s.docs) - s.spilled }

// tick starts a new epoch of use.
func (s *docSet) tick() { s.epoch++ }

// spill drops from memory the stored documents that no Get or Put used in
// this epoch and that have not changed since they were last encoded. A
// complete set stays complete: it loads a spilled document again when asked
// for it.
func (s *docSet) spill() {
	for _, e := range s.docs {
		if e.used == s.epoch || e.spilled || !e.stored || e.doc == nil {
			continue
		}
		if !e.changed {
			e.doc, e.spilled = nil, true
			s.spilled++
		}
	}
}

// cold returns the keys of the changed documents that no Get or Put used in
// this epoch.
func (s *docSet) cold() []string {
	var keys []string
	for _, e := range s.unlist() {
		if e.used != s.epoch {
			keys = append(keys, e.key)
		}
	}
	return keys
}

// unlist drops from the dirty list the entries that are no longer changed,
// and returns it.
func (s *docSet) unlist() []*entry {
	s.dirty = slices.DeleteFunc(s.dirty, func(e *entry) bool {
		e.listed = e.changed
		return !e.changed
	})
	return s.dirty
}

// docBatch is documents encoded for storing, sorted by key within each part:
// keys[:fresh] are known to have no stored document yet, so they need no
// check for one; the others may replace one.
type docBatch struct {
	keys  []string
	docs  [][]byte
	fresh int
}

// changed encodes the documents changed since the last commit, and counts
// them as stored.
func (s *docSet) changed() (docBatch, error) {
	return s.encode(s.dirtyKeys())
}

// dirtyKeys returns the keys of the documents changed since they were last
// encoded, in no particular order.
func (s *docSet) dirtyKeys() []string {
	dirty := s.unlist()
	keys := make([]string, len(dirty))
	for i, e := range dirty {
		keys[i] = e.key
	}
	return keys
}

// encode encodes the documents under keys, which the set holds, on every
// core, and counts them as stored and no longer changed.
func (s *docSet) encode(keys []string) (docBatch, error) {
	b := docBatch{keys: keys}
	for i, k := range keys {
		if s.complete && !s.docs[k].stored {
			keys[b.fresh], keys[i] = keys[i], keys[b.fresh]
			b.fresh++
		}
	}
	slices.Sort(keys[:b.fresh])
	slices.Sort(keys[b.fresh:])
	b.docs = make([][]byte, len(keys))
	bufs := make([][]byte, runtime.GOMAXPROCS(0))
	err := parallelWorkers(len(bufs), len(keys), func(w, i int) error {
		e := s.docs[keys[i]]
		raw, buf, err := appendDoc(bufs[w], e.doc)
		b.docs[i], bufs[w] = raw, buf
		e.stored, e.changed = true, false
		return err
	})
	return b, err
}

// docBufSize is the size of the buffers documents are encoded into, many to
// a buffer, which spares an allocation per document.
const docBufSize = 64 << 10

// appendDoc encodes doc at the end of buf, in a new buffer if buf has little
// room left, and returns the encoding, which nothing appended later
// overwrites, and the buffer to append to next.
func appendDoc(buf []byte, doc any) (raw, next []byte, err error) {
	if cap(buf)-len(buf) < docBufSize/16 {
		buf = make([]byte, 0, docBufSize)
	}
	start := len(buf)
	buf, err = codec.AppendJSON(buf, doc)
	return buf[start:len(buf):len(buf)], buf, err
}

// committed forgets the changed keys after a commit, and drops every document
// once more than max are held.
func (s *docSet) committed(max int) {
	for _, e := range s.dirty {
		e.changed, e.listed = false, false
	}
	s.dirty = s.dirty[:0]
	if len(s.docs) > max {
		s.docs, s.complete, s.spilled = map[string]*entry{}, false, 0
	}
}

// parallelMin is the least number of items worth spreading over cores.
const parallelMin = 256

// parallel calls f for 0 ≤ i < n, spread over every core, and returns the
// first error.
func parallel(n int, f func(i int) error) error {
	return parallelWorkers(runtime.GOMAXPROCS(0), n, func(_, i int) error { return f(i) })
}

// parallelWorkers calls f for 0 ≤ i < n, spread over workers numbered from 0
// up to workers, and returns the first error. f(w, i) runs on worker w, one
// call at a time for each w.
func parallelWorkers(workers, n int, f func(w, i int) error) error {
	if n < parallelMin || workers == 1 {
		for i := range n {
			if err := f(0, i); err != nil {
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
				if err := f(w, i); err != nil {
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
