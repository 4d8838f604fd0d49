// Package audit checks a ledger's transparency log from outside, trusting
// nothing but the checkpoint verifier key: it verifies the checkpoint's
// signature, reads every entry (from the ledger's entries endpoint or from an
// archived copy), recomputes the Merkle tree, and checks that its root is the
// checkpoint's and that the log extends the checkpoint remembered from an
// earlier audit. It also checks what the entries say of themselves (gapless
// indexes, stream versions, unique event IDs, recorded times that never go
// back). Given the fingerprints an earlier audit reported, it says which
// entries changed, were deleted or inserted since, even where the ledger's
// own tree was rewritten to match them. Discrepancies say what and where:
// the entry's index, stream and event ID.
package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
)

// Prover gives consistency proofs between tree sizes of the audited log;
// *Client is one. The audit uses them only to locate the first entry that
// differs from a signed tree, never to decide that the log is sound.
type Prover interface {
	ConsistencyProof(ctx context.Context, old, size uint64) ([]tlog.Hash, error)
}

// Input is what an audit checks.
type Input struct {
	// Checkpoint is the signed checkpoint to audit against.
	Checkpoint []byte
	// Verifier is the key the checkpoint must be signed with; its name is the
	// log's origin.
	Verifier note.Verifier
	// Entries is the entries stream (package entry) from index 0 on; entries
	// beyond the checkpoint's size are not read.
	Entries io.Reader
	// Remembered is the checkpoint of an earlier audit, if any: the log must
	// extend it.
	Remembered *checkpoint.Checkpoint
	// RememberedFingerprints, if set, are the fingerprints that earlier audit
	// reported for the Remembered checkpoint's entries. Entries that differ
	// from them are reported as changed, deleted or inserted, even where the
	// ledger's own tree was rewritten to match them.
	RememberedFingerprints Fingerprints
	// Prover, if set, locates where entries differ from a signed tree.
	Prover Prover
	// Progress, if set, is called after every batch of entries with the
	// number read so far and the number to read.
	Progress func(read, total uint64)
	// Records, if set, is called after every batch of entries with the
	// batch's leaves decoded, in log order; entries whose leaf does not
	// decode are left out. It is called on the audit's goroutine and owns the
	// slice: hand the work on rather than do it there.
	Records func([]store.Record)
}

// Verify audits in and reports what it found. The error is for failures to
// audit at all (a broken connection, a failing Prover), never for what the
// audit finds wrong, which is in the report.
func Verify(ctx context.Context, in Input) (*Report, error) {
	r := &Report{}
	c, err := checkpoint.Open(in.Checkpoint, in.Verifier)
	if err != nil {
		r.add(Discrepancy{Kind: Signature, Detail: err.Error()})
		return r, nil
	}
	r.Checkpoint = c
	if m := in.Remembered; m != nil && m.Origin != c.Origin {
		r.add(Discrepancy{Kind: OtherLog, Detail: fmt.Sprintf("checkpoint of %q; the audit before was of %q", c.Origin, m.Origin)})
		return r, nil
	}
	if m := in.Remembered; m != nil && m.Size > c.Size {
		r.add(Discrepancy{Kind: Shrunk, Detail: fmt.Sprintf("checkpoint of %d entries; the audit before saw %d", c.Size, m.Size)})
	}
	if c.Size > math.MaxInt64 {
		r.add(Discrepancy{Kind: Signature, Detail: fmt.Sprintf("checkpoint size %d is out of range", c.Size)})
		return r, nil
	}
	t, seq, err := read(ctx, in, r)
	if err != nil {
		return r, err
	}
	if err := compare(ctx, in, r, t, seq); err != nil {
		return r, err
	}
	r.Fingerprints = t.fingerprints(r.Entries)
	if m := in.Remembered; m != nil && in.RememberedFingerprints.Len() == m.Size {
		diff(r, seq, in.RememberedFingerprints, r.Fingerprints)
	}
	return r, nil
}

// read reads and hashes the first r.Checkpoint.Size entries, checking each.
// It stops early at the end of the stream or at an unreadable line, and
// reports either.
func read(ctx context.Context, in Input, r *Report) (*tree, *sequence, error) {
	size := r.Checkpoint.Size
	t, seq := newTree(int64(size)), newSequence(r, size)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for b := range hashed(ctx, entry.NewReader(in.Entries), size) {
		var recs []store.Record
		if in.Records != nil {
			recs = make([]store.Record, 0, len(b.entries))
		}
		for i, e := range b.entries {
			if rec, ok := seq.check(r.Entries, e); ok && in.Records != nil {
				recs = append(recs, rec)
			}
			if err := t.add(b.hashes[i]); err != nil {
				return nil, nil, err
			}
			r.Entries++
		}
		if in.Records != nil && len(recs) > 0 {
			in.Records(recs)
		}
		if in.Progress != nil {
			in.Progress(r.Entries, size)
		}
		if err := ended(r, b.err); err != nil {
			return nil, nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return t, seq, nil
}

// ended reports why the entries ended early, if they did: err is the error
// of the last batch. It returns errors that are not about the entries.
func ended(r *Report, err error) error {
	switch {
	case err == io.EOF:
		r.add(Discrepancy{Kind: Missing, Index: r.Entries, Detail: fmt.Sprintf("the entries end at %d; the checkpoint has %d", r.Entries, r.Checkpoint.Size)})
	case errors.Is(err, entry.ErrMalformed):
		r.add(Discrepancy{Kind: Unreadable, Index: r.Entries, Detail: err.Error()})
	case err != nil:
		return fmt.Errorf("read entries: %w", err)
	}
	return nil
}
