package tlog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// insertChunk is the most hashes one INSERT statement writes: two parameters
// each, well under the limits of both SQLite and PostgreSQL.
const insertChunk = 1000

// errTreeMoved reports that the tree size changed under a writer, which means
// another process extended the tree.
var errTreeMoved = errors.New("the tree was extended by another writer")

// hashStore keeps the tree's stored hashes (tlog_hashes) and the log size they
// cover (tlog_tree). Stored hashes never change once written.
type hashStore struct {
	db *sql.DB
	// upper keeps the upper levels of the tree for proofs; nil keeps none.
	upper *upperHashes
}

// newHashStore returns the hash store of db, keeping upper levels for proofs.
func newHashStore(db *sql.DB) hashStore {
	return hashStore{db: db, upper: &upperHashes{m: map[int64]tlog.Hash{}}}
}

// Limits of the upper levels of the tree that proofs keep in memory.
const (
	// upperLevel is the lowest level kept. A stored hash of level L covers
	// 2^L entries, so it is in the audit path of the 2^L entries beside
	// them, and a log of n entries has about n/2^(upperLevel-1) of them: 31,000
	// (about 3 MB) for a million entries. An audit path in a tree of 2^20
	// entries then reads 6 hashes from the database instead of 20.
	upperLevel = 6
	// upperMax is the most hashes kept (about 100 bytes each, with the
	// map); past it, no more are kept.
	upperMax = 1 << 17
)

// upperHashes are stored hashes of level upperLevel and above, once read.
// Stored hashes never change, so they are never dropped; and proofs are
// checked by their users against a signed root, so one that a changed
// database no longer agrees with fails to verify rather than misleads.
type upperHashes struct {
	mu sync.RWMutex
	m  map[int64]tlog.Hash // by stored-hash index
}

// proofReader reads stored hashes under ctx for proofs: those of the upper
// levels from memory once read, the others from the database in one query.
// Building and checking the tree read through reader, which keeps nothing.
func (h hashStore) proofReader(ctx context.Context) tlog.HashReader {
	if h.upper == nil {
		return h.reader(ctx)
	}
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return h.readUpper(ctx, indexes)
	})
}

// readUpper returns the stored hashes at indexes, in the same order, reading
// from the database only those upper does not hold, and keeping those of the
// upper levels.
func (h hashStore) readUpper(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	var at []int // out's position of each missing hash
	h.upper.mu.RLock()
	for i, x := range indexes {
		if hash, ok := h.upper.m[x]; ok {
			out[i] = hash
			continue
		}
		missing, at = append(missing, x), append(at, i)
	}
	h.upper.mu.RUnlock()
	if len(missing) == 0 {
		return out, nil
	}
	read, err := h.read(ctx, missing)
	if err != nil {
		return nil, err
	}
	h.upper.mu.Lock()
	defer h.upper.mu.Unlock()
	for j, x := range missing {
		out[at[j]] = read[j]
		if level, _ := tlog.SplitStoredHashIndex(x); level >= upperLevel && len(h.upper.m) < upperMax {
			h.upper.m[x] = read[j]
		}
	}
	return out, nil
}

// size is the number of log entries the stored hashes cover.
func (h hashStore) size(ctx context.Context) (int64, error) {
	var n int64
	if err := h.db.QueryRowContext(ctx, `SELECT size FROM tlog_tree WHERE id = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("read tree size: %w", err)
	}
	return n, nil
}

// reader reads stored hashes under ctx, for the tlog functions that take a
// HashReader and no context.
func (h hashStore) reader(ctx context.Context) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return h.read(ctx, indexes)
	})
}

// read returns the stored hashes at indexes, in the same order.
func (h hashStore) read(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	args := make([]any, len(indexes))
	for i, x := range indexes {
		args[i] = x
	}
	rows, err := h.db.QueryContext(ctx, `SELECT idx, hash FROM tlog_hashes WHERE idx IN (`+placeholders(len(indexes), 1, 1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("read %d stored hashes: %w", len(indexes), err)
	}
	defer rows.Close()
	found := make(map[int64]tlog.Hash, len(indexes))
	for rows.Next() {
		var x int64
		var b []byte
		if err := rows.Scan(&x, &b); err != nil {
			return nil, fmt.Errorf("read stored hashes: %w", err)
		}
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("stored hash %d has %d bytes", x, len(b))
		}
		found[x] = tlog.Hash(b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read stored hashes: %w", err)
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		hash, ok := found[x]
		if !ok {
			return nil, fmt.Errorf("stored hash %d is missing", x)
		}
		out[i] = hash
	}
	return out, nil
}

// extend records that the tree grew from oldSize to newSize entries by
// writing hashes, which start at stored-hash index StoredHashCount(oldSize).
// It fails with errTreeMoved, writing nothing, unless the tree still has
// oldSize entries.
func (h hashStore) extend(ctx context.Context, oldSize, newSize int64, hashes []tlog.Hash) (err error) {
	tx, err := h.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("extend tree to %d: %w", newSize, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	res, err := tx.ExecContext(ctx, `UPDATE tlog_tree SET size = $1 WHERE id = 1 AND size = $2`, newSize, oldSize)
	if err != nil {
		return fmt.Errorf("extend tree to %d: %w", newSize, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("extend tree from %d: %w", oldSize, errTreeMoved)
	}
	if err := insertHashes(ctx, tx, tlog.StoredHashCount(oldSize), hashes); err != nil {
		return fmt.Errorf("extend tree to %d: %w", newSize, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("extend tree to %d: %w", newSize, err)
	}
	return nil
}

// insertHashes writes hashes at consecutive stored-hash indexes from first on.
func insertHashes(ctx context.Context, tx *sql.Tx, first int64, hashes []tlog.Hash) error {
	for len(hashes) > 0 {
		n := min(len(hashes), insertChunk)
		args := make([]any, 0, 2*n)
		for i, hash := range hashes[:n] {
			args = append(args, first+int64(i), hash[:])
		}
		q := `INSERT INTO tlog_hashes (idx, hash) VALUES ` + placeholders(n, 2, 1)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("write %d stored hashes from %d: %w", n, first, err)
		}
		first += int64(n)
		hashes = hashes[n:]
	}
	return nil
}

// placeholders returns rows groups of width $n placeholders, numbered from
// first, such as "($1,$2),($3,$4)"; a width of 1 leaves out the parentheses.
func placeholders(rows, width, first int) string {
	var b strings.Builder
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		if width > 1 {
			b.WriteByte('(')
		}
		for c := range width {
			if c > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "$%d", first+r*width+c)
		}
		if width > 1 {
			b.WriteByte(')')
		}
	}
	return b.String()
}
