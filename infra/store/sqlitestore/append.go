package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

// Append implements store.Log. Appends wait in a queue; the committer commits
// everything queued in one transaction on the writing connection.
func (s *Store) Append(ctx context.Context, stream string, expected uint64, events []store.Event) ([]store.Record, error) {
	return s.committer.Append(ctx, stream, expected, events)
}

// head is where the log ends, as the committer last committed or read it.
// Only the committer goroutine uses it.
type head struct {
	next  uint64    // The next log index.
	last  time.Time // The time of the last event.
	known bool      // False until read, and after any failed commit.
}

// errHeadMoved reports that the log grew behind the committer's back (its
// next index was taken), so the commit must be retried from a fresh head.
var errHeadMoved = errors.New("the log was appended to by another writer")

// commit is the store's groupcommit.CommitFunc. It commits reqs in one
// BEGIN IMMEDIATE transaction, each request under its own savepoint so a
// faulty one is undone alone. The clock is read once: every event of the
// commit gets that time, or the last event's if the clock went back.
func (s *Store) commit(ctx context.Context, reqs []*groupcommit.Request) {
	if err := s.ckpt.writerCheckpoint(ctx, s.w); err != nil {
		s.logger.WarnContext(ctx, "WAL checkpoint failed", "err", err)
	}
	now := s.clock().UTC().Truncate(time.Microsecond)
	err := s.commitTx(ctx, reqs, now)
	if errors.Is(err, errHeadMoved) {
		err = s.commitTx(ctx, reqs, now)
	}
	if err == nil {
		return
	}
	err = fmt.Errorf("commit appends: %w", err)
	for _, r := range reqs {
		if r.Err() == nil {
			r.Fail(err)
		}
	}
}

// commitTx runs commit's transaction and moves the head past what it
// committed. A non-nil error means nothing was committed; the requests
// already answered with their own error keep it.
func (s *Store) commitTx(ctx context.Context, reqs []*groupcommit.Request, now time.Time) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	h, err := s.insertAll(ctx, tx, reqs, now)
	if err == nil {
		err = tx.Commit()
	} else {
		err = errors.Join(err, tx.Rollback())
	}
	s.head, s.head.known = h, err == nil
	return err
}

// insertAll inserts every request's events in tx, in order, and returns the
// head after them. A lone request's failure rolls the transaction back.
// Otherwise a failed insert undoes itself (SQLite aborts the statement), so
// only a request of several events needs a savepoint to be undone whole.
func (s *Store) insertAll(ctx context.Context, tx *sql.Tx, reqs []*groupcommit.Request, now time.Time) (head, error) {
	h, err := s.readHead(ctx, tx)
	if err != nil {
		return h, err
	}
	if now.After(h.last) {
		h.last = now
	}
	if len(reqs) == 1 {
		return h, s.insert(ctx, tx, reqs[0], &h)
	}
	for _, r := range reqs {
		insert := s.insert
		if len(r.Events) > 1 {
			insert = s.insertUnder
		}
		if err := insert(ctx, tx, r, &h); err != nil && !errors.Is(err, domain.ErrConflict) {
			return h, err
		}
	}
	return h, nil
}

// readHead returns the head, reading it in tx unless it is known.
func (s *Store) readHead(ctx context.Context, tx *sql.Tx) (head, error) {
	if s.head.known {
		return s.head, nil
	}
	var idx, micros int64
	err := tx.StmtContext(ctx, s.stmts.head).QueryRowContext(ctx).Scan(&idx, &micros)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return head{}, nil
	case err != nil:
		return head{}, fmt.Errorf("read log head: %w", err)
	}
	return head{next: uint64(idx) + 1, last: time.UnixMicro(micros).UTC()}, nil
}

// insertUnder is insert under a savepoint, which it rolls back if r fails
// with a conflict. An error that is no conflict means the transaction is lost.
func (s *Store) insertUnder(ctx context.Context, tx *sql.Tx, r *groupcommit.Request, h *head) error {
	if err := s.exec(ctx, tx, s.stmts.savepoint); err != nil {
		return err
	}
	err := s.insert(ctx, tx, r, h)
	if !errors.Is(err, domain.ErrConflict) {
		return errors.Join(err, s.exec(ctx, tx, s.stmts.release))
	}
	if undo := errors.Join(s.exec(ctx, tx, s.stmts.rollbackTo), s.exec(ctx, tx, s.stmts.release)); undo != nil {
		return undo
	}
	return err
}

// exec runs a prepared statement without arguments in tx.
func (s *Store) exec(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt) error {
	_, err := tx.StmtContext(ctx, stmt).ExecContext(ctx)
	return err
}

// insert inserts r's events at h and answers r; on success it moves h past
// them, on failure it returns r's error. A stale expected version fails on
// the unique (stream, version) constraint, one ahead of its stream on the
// foreign key from each event to its stream's previous one.
func (s *Store) insert(ctx context.Context, tx *sql.Tx, r *groupcommit.Request, h *head) error {
	stmt := tx.StmtContext(ctx, s.stmts.insert)
	for i, e := range r.Events {
		meta, err := json.Marshal(e.Meta)
		if err == nil {
			_, err = stmt.ExecContext(ctx, int64(h.next)+int64(i), e.ID, r.Stream, int64(r.Expected)+1+int64(i),
				e.Type, e.Schema, nonNil(e.Data), string(meta), h.last.UnixMicro())
		}
		if err != nil {
			r.Fail(translate(err, r))
			return r.Err()
		}
	}
	r.Succeed(r.Stored(h.next, h.last))
	h.next += uint64(len(r.Events))
	return nil
}

// nonNil stores a nil payload as an empty one.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
