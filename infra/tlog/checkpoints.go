package tlog

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
)

// Signed is a checkpoint as issued: the tree head, the signed note that states
// it (what GET /v1/log/checkpoint serves), and when it was signed.
type Signed struct {
	checkpoint.Checkpoint
	Note     []byte
	SignedAt time.Time
}

// checkpointStore keeps every checkpoint ever signed in tlog_checkpoints.
type checkpointStore struct {
	db *sql.DB
}

// latest returns the checkpoint of the largest tree; sql.ErrNoRows if none
// was signed yet.
func (c checkpointStore) latest(ctx context.Context) (Signed, error) {
	var size, at int64
	var root []byte
	var msg string
	err := c.db.QueryRowContext(ctx, `SELECT size, root, note, signed_at_us FROM tlog_checkpoints ORDER BY size DESC LIMIT 1`).
		Scan(&size, &root, &msg, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Signed{}, err
	}
	if err != nil {
		return Signed{}, fmt.Errorf("read latest checkpoint: %w", err)
	}
	return stored(size, root, []byte(msg), at)
}

// stored rebuilds a checkpoint from its row, whose note must state the same
// tree as its columns.
func stored(size int64, root, msg []byte, signedAt int64) (Signed, error) {
	end := bytes.LastIndex(msg, []byte("\n\n"))
	if end < 0 {
		return Signed{}, fmt.Errorf("stored checkpoint of %d entries is not a signed note", size)
	}
	c, err := checkpoint.Parse(msg[:end+1])
	if err != nil {
		return Signed{}, fmt.Errorf("stored checkpoint of %d entries: %w", size, err)
	}
	if c.Size != uint64(size) || !bytes.Equal(c.Root[:], root) {
		return Signed{}, fmt.Errorf("stored checkpoint of %d entries: its note states another tree", size)
	}
	return Signed{Checkpoint: c, Note: msg, SignedAt: time.UnixMicro(signedAt).UTC()}, nil
}

// add stores s if the latest stored checkpoint is still the one of after
// entries (or, if !exists, there is none), and reports whether it did. Two
// signers at once could both pass this check only with the process lock
// lost, and even then sign roots of the same append-only stored tree.
func (c checkpointStore) add(ctx context.Context, s Signed, exists bool, after uint64) (bool, error) {
	newest := int64(-1)
	if exists {
		newest = int64(after)
	}
	res, err := c.db.ExecContext(ctx, `INSERT INTO tlog_checkpoints (size, root, note, signed_at_us)
		SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM tlog_checkpoints WHERE size > $5)`,
		int64(s.Size), s.Root[:], string(s.Note), s.SignedAt.UnixMicro(), newest)
	if err != nil {
		return false, fmt.Errorf("store checkpoint of %d entries: %w", s.Size, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store checkpoint of %d entries: %w", s.Size, err)
	}
	return n == 1, nil
}
