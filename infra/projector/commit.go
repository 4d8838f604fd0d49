package projector

import (
	"context"
	"database/sql"
	"fmt"
)

// commitLive writes t's pending changes to the live generation it folds,
// with the new position, in one transaction. It fails with errStale if the
// generation is no longer live or another writer moved its position.
func (r *Runner) commitLive(ctx context.Context, t *target) error {
	b, err := t.docs.changed()
	if err != nil {
		return fmt.Errorf("projection %s: encode: %w", t.name(), err)
	}
	err = r.db.inConnTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		gen, err := r.db.liveGeneration(ctx, tx, t.name(), false)
		if err != nil {
			return err
		}
		if gen != t.gen {
			return errStale
		}
		return r.store(ctx, conn, tx, t, b)
	})
	if err != nil {
		return err
	}
	r.committed(t)
	return nil
}

// store advances t's position (checking nobody else did) and writes b,
// within tx on conn.
func (r *Runner) store(ctx context.Context, conn *sql.Conn, tx *sql.Tx, t *target, b docBatch) error {
	if err := r.db.advance(ctx, tx, t.name(), t.gen, t.pos, t.applied); err != nil {
		return err
	}
	return r.db.write(ctx, conn, tx, t.name(), t.gen, b)
}

// committed records that t's pending changes are stored.
func (r *Runner) committed(t *target) {
	r.metrics.folded(t.name(), t.applied-t.pos)
	t.pos = t.applied
	t.docs.committed(r.cfg.MaxCached)
}
