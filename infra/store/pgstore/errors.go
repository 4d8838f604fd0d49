package pgstore

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

// uniqueViolation is PostgreSQL's SQLSTATE for a unique constraint violation.
const uniqueViolation = "23505"

// translate turns the driver's error from appending r into the store's: a
// unique violation is a conflict, named after the constraint.
func translate(err error, r *groupcommit.Request) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == uniqueViolation {
		switch pgErr.ConstraintName {
		case "events_id_key":
			return domain.Conflictf("an event of this append to stream %s is already recorded", r.Stream)
		case "events_stream_version_key":
			return staleConflict(r)
		}
	}
	return fmt.Errorf("append to stream %s: %w", r.Stream, err)
}

// staleConflict is the error of a request that expects an old version.
func staleConflict(r *groupcommit.Request) error {
	return domain.Conflictf("stream %s is at a newer version than %d", r.Stream, r.Expected)
}
