package projector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// leaseTTL is how long a rebuild's claim on a read model lasts unless renewed;
// every commit of the rebuild renews it.
const leaseTTL = time.Minute

// claim is a rebuild's hold on one read model: the generation it fills, the
// live one it replaces, and generations left behind by rebuilds that died.
type claim struct {
	owner     string
	gen, old  int64
	abandoned []int64
}

// claim takes the rebuild lease on name for owner and records a new, empty
// generation. It fails with a Conflict while another rebuild holds the lease.
func (r *Runner) claim(ctx context.Context, name, owner string) (claim, error) {
	c := claim{owner: owner}
	now := r.cfg.Clock()
	err := r.db.inTx(ctx, func(tx *sql.Tx) error {
		var holder string
		var until int64
		err := tx.QueryRowContext(ctx, `SELECT live_generation, lease_owner, lease_until FROM projection_state
			WHERE projection = $1`+r.db.lock(true), name).Scan(&c.old, &holder, &until)
		if err != nil {
			return fmt.Errorf("projection %s: read state: %w", name, err)
		}
		if holder != "" && until > now.UnixMicro() {
			return domain.Conflictf("a rebuild of %s is already running (%s)", name, holder)
		}
		if c.abandoned, err = r.generations(ctx, tx, name, c.old); err != nil {
			return err
		}
		c.gen = max(c.old, maxOf(c.abandoned)) + 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO projection_positions (projection, generation, position) VALUES ($1, $2, 0)`, name, c.gen); err != nil {
			return fmt.Errorf("projection %s: new generation: %w", name, err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE projection_state SET lease_owner = $2, lease_until = $3 WHERE projection = $1`,
			name, owner, now.Add(leaseTTL).UnixMicro())
		return err
	})
	return c, err
}

// generations lists name's generations other than live.
func (r *Runner) generations(ctx context.Context, tx *sql.Tx, name string, live int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT generation FROM projection_positions WHERE projection = $1 AND generation <> $2`, name, live)
	if err != nil {
		return nil, fmt.Errorf("projection %s: list generations: %w", name, err)
	}
	defer rows.Close()
	var gens []int64
	for rows.Next() {
		var g int64
		if err := rows.Scan(&g); err != nil {
			return nil, err
		}
		gens = append(gens, g)
	}
	return gens, rows.Err()
}

func maxOf(xs []int64) int64 {
	var m int64
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// errLeaseLost reports that a rebuild's lease expired and was taken over.
var errLeaseLost = errors.New("the rebuild lease was lost to another rebuild")

// renew extends c's lease within tx, failing with errLeaseLost if c no longer
// holds it.
func (r *Runner) renew(ctx context.Context, tx *sql.Tx, name string, c claim) error {
	res, err := tx.ExecContext(ctx, `UPDATE projection_state SET lease_until = $3 WHERE projection = $1 AND lease_owner = $2`,
		name, c.owner, r.cfg.Clock().Add(leaseTTL).UnixMicro())
	if err != nil {
		return fmt.Errorf("projection %s: renew lease: %w", name, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(errLeaseLost, err)
	}
	return nil
}

// dropChunk is how many documents one statement of drop deletes, so that no
// transaction holds SQLite's write lock for long.
const dropChunk = 20_000

// drop deletes generation gen of name: its documents a chunk at a time, then
// its position, so that a drop cut short is finished by a later one.
func (r *Runner) drop(ctx context.Context, name string, gen int64) error {
	for {
		res, err := r.db.db.ExecContext(ctx, `DELETE FROM read_models WHERE projection = $1 AND generation = $2 AND key IN
			(SELECT key FROM read_models WHERE projection = $1 AND generation = $2 LIMIT $3)`, name, gen, dropChunk)
		if err != nil {
			return fmt.Errorf("projection %s: drop generation %d: %w", name, gen, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			break
		}
	}
	_, err := r.db.db.ExecContext(ctx, `DELETE FROM projection_positions WHERE projection = $1 AND generation = $2`, name, gen)
	return err
}
