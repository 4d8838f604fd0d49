package audit

import (
	"bytes"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// FingerprintSize is how many leading bytes of each entry's leaf hash a
// fingerprint keeps.
const FingerprintSize = 8

// Fingerprints are the first FingerprintSize bytes of each entry's leaf hash,
// in log order: 8 bytes an entry, kept by an auditor between audits to say,
// should the log change, which entries changed. They locate; they prove
// nothing. What proves that the log was rewritten is the remembered
// checkpoint, whose root the entries no longer hash to; against a chosen
// change, finding another leaf with the same fingerprint takes about 2⁶⁴
// hashes.
type Fingerprints []byte

// Len is the number of entries f covers.
func (f Fingerprints) Len() uint64 { return uint64(len(f) / FingerprintSize) }

// at is the fingerprint of entry i.
func (f Fingerprints) at(i uint64) []byte {
	return f[i*FingerprintSize : (i+1)*FingerprintSize]
}

// fingerprints are the fingerprints of the first n entries of t.
func (t *tree) fingerprints(n uint64) Fingerprints {
	out := make(Fingerprints, 0, n*FingerprintSize)
	for i := range int64(n) {
		h := t.hashes[tlog.StoredHashIndex(0, i)]
		out = append(out, h[:FingerprintSize]...)
	}
	return out
}

// sameRun is how many entries must agree after a difference to take the
// difference for one deleted or inserted entry.
const sameRun = 4

// diff reports how the entries read (now) differ from those an earlier
// audit saw (old): each run of changed entries, and each entry deleted or
// inserted, as far as both reach. Entries after the old ones are new and
// not compared.
func diff(r *Report, seq *sequence, old, now Fingerprints) {
	d := differ{r: r, seq: seq, old: old, now: now}
	for d.i < old.Len() && d.j < now.Len() {
		switch {
		case d.same(d.i, d.j, 1):
			d.i, d.j = d.i+1, d.j+1
		case d.same(d.i+1, d.j, sameRun):
			d.deleted()
		case d.same(d.i, d.j+1, sameRun):
			d.inserted()
		default:
			d.changed()
		}
	}
}

// differ walks two fingerprint lists: i in the old, j in the new.
type differ struct {
	r        *Report
	seq      *sequence
	old, now Fingerprints
	i, j     uint64
}

// same reports whether up to n entries agree from old entry i and new entry
// j on, as many as both have, and at least one.
func (d *differ) same(i, j uint64, n uint64) bool {
	if i >= d.old.Len() || j >= d.now.Len() {
		return false
	}
	for k := uint64(0); k < n && i+k < d.old.Len() && j+k < d.now.Len(); k++ {
		if !bytes.Equal(d.old.at(i+k), d.now.at(j+k)) {
			return false
		}
	}
	return true
}

// at makes a discrepancy about the entry now at position j.
func (d *differ) at(k Kind, j uint64, format string, a ...any) Discrepancy {
	x := Discrepancy{Kind: k, Index: j, Detail: fmt.Sprintf(format, a...)}
	if w, ok := d.seq.where(j); ok {
		x.HasWhere, x.Stream, x.EventID = true, w.stream, w.id
	}
	return x
}

func (d *differ) deleted() {
	d.r.add(d.at(Deleted, d.j, "entry %d of the log the audit before saw is gone: this entry was entry %d then", d.i, d.i+1))
	d.i++
}

func (d *differ) inserted() {
	d.r.add(d.at(Inserted, d.j, "not in the log the audit before saw: the entry that was entry %d then is entry %d now", d.i, d.j+1))
	d.j++
}

// changed reports a run of entries that differ from the ones at their
// positions before, up to the next entry that agrees.
func (d *differ) changed() {
	start := d.j
	for d.i < d.old.Len() && d.j < d.now.Len() && !d.same(d.i, d.j, 1) {
		d.i, d.j = d.i+1, d.j+1
	}
	if n := d.j - start; n > 1 {
		d.r.add(d.at(Changed, start, "this entry and the %d after it differ from what the audit before saw at their places", n-1))
		return
	}
	d.r.add(d.at(Changed, start, "differs from the entry the audit before saw at this place"))
}
