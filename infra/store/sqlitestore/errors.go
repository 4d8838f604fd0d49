package sqlitestore

import (
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

// translate turns the driver's error from inserting r's events into the
// store's. A unique violation is a conflict, named after the constraint, and
// so is a foreign key violation: r is ahead of its stream. A taken log index
// is errHeadMoved.
func translate(err error, r *groupcommit.Request) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("append to stream %s: %w", r.Stream, err)
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return errHeadMoved
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return domain.Conflictf("stream %s has no version %d yet", r.Stream, r.Expected)
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		if strings.Contains(se.Error(), "events.id") {
			return domain.Conflictf("an event of this append to stream %s is already recorded", r.Stream)
		}
		return domain.Conflictf("stream %s is at a newer version than %d", r.Stream, r.Expected)
	}
	return fmt.Errorf("append to stream %s: %w", r.Stream, err)
}
