package audit

import (
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// where names an entry in discrepancies.
type where struct {
	stream, id string
}

// sequence checks what each entry says against the entries before it: the
// indexes run on without gaps, each leaf decodes and carries its line's index,
// stream versions run on, event IDs are unique and recorded times never go
// back. It remembers each entry's stream and event ID to say where later.
type sequence struct {
	report   *Report
	next     uint64         // the index the next line should have
	streams  map[string]int // a stream → its place in versions
	versions []uint64       // the version of each stream's last event
	ids      *idSet
	last     time.Time
	at       []where
	leaves   leaf.Decoder
}

func newSequence(r *Report, capacity uint64) *sequence {
	return &sequence{report: r, streams: map[string]int{}, ids: newIDSet(capacity), at: make([]where, 0, capacity)}
}

// where is the stream and event of the entry at position pos, if known.
func (s *sequence) where(pos uint64) (where, bool) {
	if pos >= uint64(len(s.at)) {
		return where{}, false
	}
	return s.at[pos], true
}

// version is where the version of stream's last event is kept, 0 for a
// stream not seen before. It costs one map lookup for a stream seen before.
func (s *sequence) version(stream string) *uint64 {
	i, ok := s.streams[stream]
	if !ok {
		i = len(s.versions)
		s.streams[stream] = i
		s.versions = append(s.versions, 0)
	}
	return &s.versions[i]
}

// idAt is the event ID of the entry at position pos, already checked.
func (s *sequence) idAt(pos uint64) string { return s.at[pos].id }

// check checks the entry at position pos of the stream and returns its
// decoded leaf; ok is false if the leaf does not decode.
func (s *sequence) check(pos uint64, e entry.Entry) (rec store.Record, ok bool) {
	r, err := s.leaves.Decode(e.Leaf)
	var w where
	if err == nil {
		w = where{stream: r.Stream, id: r.ID}
	}
	s.at = append(s.at, w)
	problem := func(k Kind, format string, a ...any) {
		s.report.add(Discrepancy{Kind: k, Index: pos, HasWhere: true, Stream: w.stream, EventID: w.id, Detail: fmt.Sprintf(format, a...)})
	}
	s.checkIndex(e.Index, problem)
	if err != nil {
		problem(Malformed, "%v", err)
		return store.Record{}, false
	}
	if r.Index != e.Index {
		problem(Misnumbered, "the line says index %d, its leaf says %d", e.Index, r.Index)
	}
	s.checkRecord(pos, r, problem)
	return r, true
}

// checkIndex checks that a line's index follows the previous line's.
func (s *sequence) checkIndex(index uint64, problem func(Kind, string, ...any)) {
	switch {
	case index == s.next+1:
		problem(Missing, "entry %d, before this one, is missing", s.next)
	case index > s.next:
		problem(Missing, "entries %d to %d, before this one, are missing", s.next, index-1)
	case index < s.next:
		problem(Misnumbered, "index %d comes after index %d", index, s.next-1)
	}
	s.next = index + 1
}

// checkRecord checks a decoded entry against its stream, the IDs seen and
// the time of the entry before.
func (s *sequence) checkRecord(pos uint64, r store.Record, problem func(Kind, string, ...any)) {
	v := s.version(r.Stream)
	if r.Version != *v+1 {
		problem(StreamVersion, "version %d follows version %d of the stream", r.Version, *v)
	}
	*v = r.Version
	if first, seen := s.ids.add(r.ID, pos, s.idAt); seen {
		problem(DuplicateID, "event ID already recorded at entry %d", first)
	}
	if r.RecordedAt.Before(s.last) {
		problem(TimeReversed, "recorded at %s, before the entry preceding it (%s)", r.RecordedAt.Format(time.RFC3339Nano), s.last.Format(time.RFC3339Nano))
	}
	s.last = r.RecordedAt
}
