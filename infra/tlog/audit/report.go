package audit

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
)

// Kind names what a discrepancy is about.
type Kind string

// The kinds of discrepancy an audit reports.
const (
	// Signature: the checkpoint is not signed by the expected key, or is not a checkpoint.
	Signature Kind = "signature"
	// Shrunk: the checkpoint is of a smaller tree than the one remembered.
	Shrunk Kind = "shrunk"
	// OtherLog: the checkpoint names another origin than the one remembered.
	OtherLog Kind = "other-log"
	// Unreadable: a line of the entries stream cannot be read; the audit stops there.
	Unreadable Kind = "unreadable"
	// Missing: entries are absent, at a gap in the indexes or at the end of the stream.
	Missing Kind = "missing"
	// Misnumbered: an index repeats or goes back, or a line's index is not its leaf's.
	Misnumbered Kind = "misnumbered"
	// Malformed: a leaf does not decode.
	Malformed Kind = "malformed"
	// StreamVersion: an event's version is not the one after its stream's previous event.
	StreamVersion Kind = "stream-version"
	// DuplicateID: an event ID appears a second time.
	DuplicateID Kind = "duplicate-id"
	// TimeReversed: an entry was recorded before the entry preceding it.
	TimeReversed Kind = "time-reversed"
	// RootMismatch: the entries do not hash to the checkpoint's root.
	RootMismatch Kind = "root-mismatch"
	// Rewritten: the entries do not hash to the root of the remembered checkpoint:
	// the log was changed under a tree already signed.
	Rewritten Kind = "rewritten"
	// Diverged: the first entry that differs from what a checkpoint signed, as
	// located with the ledger's consistency proofs.
	Diverged Kind = "diverged"
	// Changed: an entry, or a run of them, differs from what the audit before
	// saw at its place, by the fingerprints it remembered.
	Changed Kind = "changed"
	// Deleted: an entry the audit before saw is gone, the entries around it
	// unchanged.
	Deleted Kind = "deleted"
	// Inserted: an entry stands where the audit before saw none, the entries
	// around it unchanged.
	Inserted Kind = "inserted"
)

// Discrepancy is one thing found wrong. Index, Stream and EventID say where,
// when known: Index is the entry's position in the log.
type Discrepancy struct {
	Kind     Kind
	Index    uint64
	HasWhere bool
	Stream   string
	EventID  string
	Detail   string
}

func (d Discrepancy) String() string {
	if !d.HasWhere {
		return fmt.Sprintf("%s: %s", d.Kind, d.Detail)
	}
	return fmt.Sprintf("%s at entry %d (stream %q, event %q): %s", d.Kind, d.Index, d.Stream, d.EventID, d.Detail)
}

// MaxDiscrepancies is how many discrepancies a report lists; beyond it they
// are only counted.
const MaxDiscrepancies = 1000

// Report is the outcome of an audit.
type Report struct {
	// Checkpoint is the checkpoint audited against, once its signature verified.
	Checkpoint checkpoint.Checkpoint
	// Entries is how many entries were read and hashed.
	Entries uint64
	// Root is the root recomputed over the first Checkpoint.Size entries.
	Root tlog.Hash
	// Fingerprints are those of the entries read, for the next audit to
	// compare with (see Input.RememberedFingerprints).
	Fingerprints Fingerprints
	// Discrepancies lists what was found wrong, in the order found; Suppressed
	// counts those beyond MaxDiscrepancies.
	Discrepancies []Discrepancy
	Suppressed    uint64
}

// OK reports whether the audit found nothing wrong.
func (r *Report) OK() bool { return len(r.Discrepancies) == 0 }

// add records a discrepancy.
func (r *Report) add(d Discrepancy) {
	if len(r.Discrepancies) >= MaxDiscrepancies {
		r.Suppressed++
		return
	}
	r.Discrepancies = append(r.Discrepancies, d)
}
