package audit

import (
	"context"
	"crypto/sha256"
	"hash"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
)

// batchSize is how many entries travel together from the reading goroutine.
const batchSize = 1024

// batch is entries read in a row with their leaf hashes. err, set on the
// last batch only, is what ended the reading: io.EOF at the end of the
// stream, a read or parse error, or nil once all entries asked for were read.
type batch struct {
	entries []entry.Entry
	hashes  []tlog.Hash
	err     error
}

// hashed reads up to n entries and hashes their leaves on a goroutine of its
// own, so that parsing and hashing overlap with checking and tree building.
// The channel closes after the last batch, or when ctx ends.
func hashed(ctx context.Context, lines *entry.Reader, n uint64) <-chan batch {
	out := make(chan batch, 4)
	go func() {
		defer close(out)
		var l leafHasher
		for read := uint64(0); ; {
			b := batch{entries: make([]entry.Entry, 0, batchSize), hashes: make([]tlog.Hash, 0, batchSize)}
			for len(b.entries) < batchSize && read < n && b.err == nil {
				var e entry.Entry
				if e, b.err = lines.Next(); b.err == nil {
					b.entries, b.hashes = append(b.entries, e), append(b.hashes, l.hash(e.Leaf))
					read++
				}
			}
			last := read == n || b.err != nil
			select {
			case out <- b:
			case <-ctx.Done():
				return
			}
			if last {
				return
			}
		}
	}()
	return out
}

// leafHasher computes tlog.RecordHash with one SHA-256 state and buffer it
// reuses, where tlog.RecordHash allocates a state for every leaf.
type leafHasher struct {
	h   hash.Hash
	sum []byte
}

// leafPrefix is the byte RFC 6962 hashes before a leaf.
var leafPrefix = []byte{0}

func (l *leafHasher) hash(leaf []byte) tlog.Hash {
	if l.h == nil {
		l.h, l.sum = sha256.New(), make([]byte, 0, sha256.Size)
	}
	l.h.Reset()
	l.h.Write(leafPrefix)
	l.h.Write(leaf)
	l.sum = l.h.Sum(l.sum[:0])
	return tlog.Hash(l.sum)
}
