package auditor

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
	"github.com/erasmus-ledger/ledger/projections/directory"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// The kinds of discrepancy that replaying the log finds.
const (
	// Undecodable: an event's payload does not decode as its type, or its
	// type is one this auditor does not know.
	Undecodable audit.Kind = "undecodable"
	// Unfoldable: a read model's fold refuses an event.
	Unfoldable audit.Kind = "unfoldable"
)

// maxReplayFindings is how many replay problems are kept; beyond it they are
// counted.
const maxReplayFindings = 100

// replay folds the events an audit reads into the ledger's read models, in
// memory, with the folds the ledger itself runs: decoding on several
// goroutines, each read model folding on its own, all in log order. Personal
// data stays sealed, as in the ledger's own read models.
type replay struct {
	ctx    context.Context
	codec  *codec.Codec
	folds  []*fold
	wanted map[string]bool
	jobs   chan decodeJob
	order  chan chan []projections.Event
	wg     sync.WaitGroup

	mu         sync.Mutex
	findings   []audit.Discrepancy
	suppressed uint64
	events     uint64
}

// decodeJob is a batch of records to decode, and where its events go.
type decodeJob struct {
	recs []store.Record
	out  chan<- []projections.Event
}

// fold is one read model being folded.
type fold struct {
	p     projections.Projection
	types map[string]bool
	docs  *projections.Memory
	in    chan []projections.Event
}

// readModels are the projections an audit replays.
func readModels() []projections.Projection {
	return []projections.Projection{transcript.Projection{}, directory.Projection{}, credentialstatus.Projection{}}
}

// startReplay starts the goroutines of a replay; feed it, then call wait.
func startReplay(ctx context.Context) *replay {
	r := &replay{ctx: ctx, codec: codec.New(nil, app.EventTypes()...), wanted: map[string]bool{},
		jobs: make(chan decodeJob, 16), order: make(chan chan []projections.Event, 64)}
	for _, p := range readModels() {
		f := &fold{p: p, types: map[string]bool{}, docs: projections.NewMemory(), in: make(chan []projections.Event, 64)}
		for _, t := range p.Types() {
			f.types[t], r.wanted[t] = true, true
		}
		r.folds = append(r.folds, f)
		r.wg.Go(func() { r.run(f) })
	}
	for range max(1, runtime.GOMAXPROCS(0)) {
		r.wg.Go(r.decode)
	}
	r.wg.Go(r.sequence)
	return r
}

// feed hands recs, the next records of the log, to the replay.
func (r *replay) feed(recs []store.Record) {
	slot := make(chan []projections.Event, 1)
	r.order <- slot
	r.jobs <- decodeJob{recs: recs, out: slot}
}

// wait waits for every event fed to be folded.
func (r *replay) wait() {
	close(r.jobs)
	close(r.order)
	r.wg.Wait()
	slices.SortStableFunc(r.findings, func(a, b audit.Discrepancy) int { return cmp.Compare(a.Index, b.Index) })
}

// decode decodes batches until there are no more.
func (r *replay) decode() {
	for job := range r.jobs {
		events := make([]projections.Event, 0, len(job.recs))
		for _, rec := range job.recs {
			if !r.codec.Known(rec.Type) {
				r.found(Undecodable, rec, "the event type %q is unknown to this auditor", rec.Type)
				continue
			}
			if !r.wanted[rec.Type] {
				continue
			}
			e, err := r.codec.DecodeSealed(rec)
			if err != nil {
				r.found(Undecodable, rec, "%v", err)
				continue
			}
			events = append(events, projections.Event{Index: rec.Index, Stream: rec.Stream, RecordedAt: rec.RecordedAt, Data: e})
		}
		job.out <- events
	}
}

// sequence hands the decoded batches to every fold, in log order.
func (r *replay) sequence() {
	for slot := range r.order {
		events := <-slot
		for _, f := range r.folds {
			f.in <- events
		}
	}
	for _, f := range r.folds {
		close(f.in)
	}
}

// run folds the events of f's types into f's documents.
func (r *replay) run(f *fold) {
	for events := range f.in {
		for _, e := range events {
			if !f.types[e.Data.EventType()] {
				continue
			}
			if err := f.p.Apply(r.ctx, f.docs, e); err != nil {
				r.found(Unfoldable, store.Record{Index: e.Index, Stream: e.Stream}, "the %s read model refuses it: %v", f.p.Name(), err)
			}
		}
		r.mu.Lock()
		if f == r.folds[0] {
			r.events += uint64(len(events))
		}
		r.mu.Unlock()
	}
}

// found records a problem with the event rec.
func (r *replay) found(k audit.Kind, rec store.Record, format string, a ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.findings) >= maxReplayFindings {
		r.suppressed++
		return
	}
	r.findings = append(r.findings, audit.Discrepancy{Kind: k, Index: rec.Index, HasWhere: true, Stream: rec.Stream, EventID: rec.ID,
		Detail: fmt.Sprintf(format, a...)})
}

// docs is the document set of the read model named name.
func (r *replay) docs(name string) *projections.Memory {
	for _, f := range r.folds {
		if f.p.Name() == name {
			return f.docs
		}
	}
	return projections.NewMemory()
}
