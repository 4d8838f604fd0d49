package tlog

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// lockClass is the first key of the PostgreSQL advisory lock that elects the
// signer ("tlog" in ASCII); the second is the OID of this schema's tlog_tree,
// so that ledgers in different schemas of one database elect separately.
const lockClass int32 = 0x746c6f67

// elector decides which process builds the tree and signs checkpoints.
type elector interface {
	// campaign tries once to become the signer. On success held lives as long
	// as the leadership does, and resign gives it up.
	campaign(ctx context.Context) (held context.Context, resign func(), ok bool, err error)
}

// soleElector makes the only process the signer, as with SQLite, where one
// process owns the database file.
type soleElector struct{}

func (soleElector) campaign(ctx context.Context) (context.Context, func(), bool, error) {
	held, cancel := context.WithCancel(ctx)
	return held, cancel, true, nil
}

// lockElector elects through a session-level advisory lock held on a
// connection of its own: if the signer dies, its session ends, the lock is
// released, and another process's next campaign wins.
type lockElector struct {
	db    *sql.DB
	check time.Duration
	log   *slog.Logger
}

func (e lockElector) campaign(ctx context.Context) (context.Context, func(), bool, error) {
	conn, err := e.db.Conn(ctx)
	if err != nil {
		return nil, nil, false, fmt.Errorf("campaign for checkpoint signer: %w", err)
	}
	var ok bool
	err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, ('tlog_tree'::regclass)::oid::int4)`, lockClass).Scan(&ok)
	if err != nil || !ok {
		_ = conn.Close()
		if err != nil {
			return nil, nil, false, fmt.Errorf("campaign for checkpoint signer: %w", err)
		}
		return nil, nil, false, nil
	}
	held, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go e.keep(held, cancel, conn, done)
	resign := func() {
		cancel()
		<-done
		e.release(ctx, conn)
	}
	return held, resign, true, nil
}

// keep checks the lock's connection until held ends, and ends held if the
// connection fails: the session, and with it the lock, may be gone.
func (e lockElector) keep(held context.Context, cancel func(), conn *sql.Conn, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(e.check)
	defer tick.Stop()
	for {
		select {
		case <-held.Done():
			return
		case <-tick.C:
		}
		if err := conn.PingContext(held); err != nil && held.Err() == nil {
			e.log.Warn("checkpoint signer lost its lock connection", "err", err)
			cancel()
			return
		}
	}
}

// release unlocks and returns the connection to the pool. A failed unlock
// means the session is broken, and a broken session holds no lock.
func (e lockElector) release(ctx context.Context, conn *sql.Conn) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock_all()`); err != nil {
		e.log.Debug("checkpoint signer could not unlock", "err", err)
	}
	_ = conn.Close()
}
