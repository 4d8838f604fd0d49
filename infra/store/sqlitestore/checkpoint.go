package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
)

// Checkpoints mostly run off the commit path. The writing connection has
// wal_autocheckpoint=0, so a commit no longer copies ~1000 pages back into the
// database file and fsyncs it inside its own transaction (~12% of commitTx,
// and a source of long tails). A goroutine with a connection of its own runs
// a PASSIVE checkpoint at most every checkpointEvery after commits: it copies
// and syncs the frames without waiting for or blocking the writer. But SQLite
// only rewinds the WAL when a writer begins while every frame is already
// copied, which a background checkpoint under steady commits rarely allows;
// so once the WAL holds checkpointLimit frames the goroutine asks the writer
// to run a PASSIVE checkpoint itself between two transactions. That one finds
// almost everything copied already, so it costs little more than one fsync,
// and the next transaction rewinds the WAL.
// The WAL thus stays below checkpointLimit frames plus what one
// checkpointEvery of commits adds. (A pause of 100 ms cost more fsyncs of the
// database file and did not help in ledgerbench; 1 s did.) Durability is
// unchanged: commits are durable once their WAL frames are synced, and a
// checkpoint only copies committed frames.
const (
	checkpointEvery = time.Second
	checkpointLimit = 1000 // SQLite's default autocheckpoint, in pages.
)

// checkpointer runs the background checkpoints of one store.
type checkpointer struct {
	db     *sql.DB
	logger *slog.Logger
	every  time.Duration
	limit  int
	cancel context.CancelFunc
	done   chan struct{}
	// writer is set when the WAL has reached the limit: the writer should
	// checkpoint between two transactions (see Store.commit).
	writer atomic.Bool
}

// startCheckpointer checkpoints db after each wake-up, at most every every,
// until stop is called.
func startCheckpointer(db *sql.DB, logger *slog.Logger, wake <-chan struct{}, every time.Duration, limit int) *checkpointer {
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{db: db, logger: logger, every: every, limit: limit, cancel: cancel, done: make(chan struct{})}
	go c.run(ctx, wake)
	return c
}

// stop ends the goroutine, waiting for a checkpoint in progress.
func (c *checkpointer) stop() {
	c.cancel()
	<-c.done
}

func (c *checkpointer) run(ctx context.Context, wake <-chan struct{}) {
	defer close(c.done)
	pause := time.NewTimer(0)
	defer pause.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-wake:
			if !ok {
				return
			}
		}
		if err := c.checkpoint(ctx); err != nil && ctx.Err() == nil {
			c.logger.WarnContext(ctx, "WAL checkpoint failed", "err", err)
		}
		pause.Reset(c.every)
		select {
		case <-ctx.Done():
			return
		case <-pause.C:
		}
	}
}

// checkpoint runs a PASSIVE checkpoint and asks the writer for one if the WAL
// has reached the limit.
func (c *checkpointer) checkpoint(ctx context.Context) error {
	var busy, frames, done int
	err := c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &done)
	if err != nil {
		return fmt.Errorf("wal_checkpoint(PASSIVE): %w", err)
	}
	if frames >= c.limit {
		c.writer.Store(true)
	}
	return nil
}

// writerCheckpoint runs the checkpoint asked of the writer, if any, on its
// connection w outside any transaction.
func (c *checkpointer) writerCheckpoint(ctx context.Context, w *sql.DB) error {
	if !c.writer.CompareAndSwap(true, false) {
		return nil
	}
	if _, err := w.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
		return fmt.Errorf("writer wal_checkpoint(PASSIVE): %w", err)
	}
	return nil
}
