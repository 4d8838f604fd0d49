package tlog

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// builder extends the stored tree as the log grows. It keeps in memory the
// hashes of the complete subtrees that make up the current tree (at most one
// per bit of its size), which is all that hashing further leaves needs, so
// that building reads the log and writes hashes but reads no hash back.
type builder struct {
	log    store.Log
	hashes hashStore
	batch  int

	size     int64
	root     tlog.Hash
	frontier map[int64]tlog.Hash
}

// load sets the builder to the tree as stored, reading its frontier.
func (b *builder) load(ctx context.Context) error {
	size, err := b.hashes.size(ctx)
	if err != nil {
		return err
	}
	return b.settle(size, b.hashes.reader(ctx))
}

// settle makes the tree of size entries, whose hashes r reads, current: it
// computes the root and keeps the hashes TreeHash asked for as the frontier.
func (b *builder) settle(size int64, r tlog.HashReader) error {
	frontier := make(map[int64]tlog.Hash)
	root, err := tlog.TreeHash(size, tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		hashes, err := r.ReadHashes(indexes)
		if err == nil && len(hashes) == len(indexes) {
			for i, x := range indexes {
				frontier[x] = hashes[i]
			}
		}
		return hashes, err
	}))
	if err != nil {
		return fmt.Errorf("root of tree of %d entries: %w", size, err)
	}
	b.size, b.root, b.frontier = size, root, frontier
	return nil
}

// step adds to the tree the next batch of log entries, if any, and returns
// how many it added. A tree extended meanwhile by another process fails with
// errTreeMoved; load again before the next step.
func (b *builder) step(ctx context.Context) (int, error) {
	records, err := b.log.ReadLog(ctx, uint64(b.size), b.batch)
	if err != nil || len(records) == 0 {
		return 0, err
	}
	m := &memory{frontier: b.frontier, first: tlog.StoredHashCount(b.size), fresh: make([]tlog.Hash, 0, 2*len(records)+64)}
	if err := m.add(b.size, records); err != nil {
		return 0, err
	}
	size := b.size + int64(len(records))
	if err := b.hashes.extend(ctx, b.size, size, m.fresh); err != nil {
		return 0, err
	}
	if err := b.settle(size, m); err != nil {
		return 0, err
	}
	return len(records), nil
}

// memory reads stored hashes from a tree's frontier and from fresh, the hashes
// stored from index first on as the tree grows.
type memory struct {
	frontier map[int64]tlog.Hash
	first    int64
	fresh    []tlog.Hash
}

// add hashes records, which continue a tree of size entries, into fresh.
func (m *memory) add(size int64, records []store.Record) error {
	buf := make([]byte, 0, 4096)
	for i, rec := range records {
		n := size + int64(i)
		if rec.Index != uint64(n) {
			return fmt.Errorf("log returned entry %d where %d belongs", rec.Index, n)
		}
		var err error
		if buf, err = leaf.Append(buf[:0], rec); err != nil {
			return err
		}
		hashes, err := tlog.StoredHashes(n, buf, m)
		if err != nil {
			return fmt.Errorf("hash entry %d: %w", n, err)
		}
		m.fresh = append(m.fresh, hashes...)
	}
	return nil
}

// ReadHashes implements tlog.HashReader.
func (m *memory) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		switch hash, ok := m.frontier[x]; {
		case ok:
			out[i] = hash
		case x >= m.first && x-m.first < int64(len(m.fresh)):
			out[i] = m.fresh[x-m.first]
		default:
			return nil, fmt.Errorf("stored hash %d is neither on the frontier nor new", x)
		}
	}
	return out, nil
}
