package projector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/erasmus-ledger/ledger/projections"
)

// Docs returns read model name's live documents as they are now, for reading.
// The view keeps to the generation that was live at its first read: that read
// learns the generation in the same query as the document, so a lookup of one
// document costs one round trip to the database. Put changes only the view: it
// lets a caller overlay documents (as a fold would) without writing. A view is
// for one goroutine, as the documents of a fold are.
func (r *Runner) Docs(ctx context.Context, name string) (projections.Docs, error) {
	p, err := r.projection(name)
	if err != nil {
		return nil, err
	}
	var (
		gen   int64
		known bool
	)
	load := func(ctx context.Context, key string) ([]byte, bool, error) {
		if known {
			return r.db.load(ctx, name, gen, key)
		}
		g, doc, found, err := r.loadLive(ctx, name, key)
		if err != nil {
			return nil, false, err
		}
		gen, known = g, true
		return doc, found, nil
	}
	return newDocSet(p, load, false), nil
}

// loadLive returns which generation of read model name is live and the
// document under key in it, in one query. The document is read by a subquery
// that has the generation as a parameter, so that it is one lookup of the
// primary key (a join may instead scan every generation's documents for the
// key).
func (r *Runner) loadLive(ctx context.Context, name, key string) (gen int64, doc []byte, found bool, err error) {
	err = r.db.db.QueryRowContext(ctx, `SELECT s.live_generation, (SELECT d.doc FROM read_models d
		WHERE d.projection = s.projection AND d.generation = s.live_generation AND d.key = $2)
		FROM projection_state s WHERE s.projection = $1`, name, key).Scan(&gen, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, false, fmt.Errorf("projection %s has no state", name)
	}
	if err != nil {
		return 0, nil, false, fmt.Errorf("projection %s: load %s: %w", name, key, err)
	}
	return gen, doc, doc != nil, nil // doc is NOT NULL: a null is no document
}

// Position is the number of log events folded into read model name's live
// generation.
func (r *Runner) Position(ctx context.Context, name string) (uint64, error) {
	if _, err := r.projection(name); err != nil {
		return 0, err
	}
	_, pos, err := r.db.live(ctx, r.db.db, name)
	return pos, err
}
