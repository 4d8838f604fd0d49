package storetest

import (
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// testAppendOnly checks that the database itself refuses to change or remove
// events, whoever asks through DB.
func testAppendOnly(t *testing.T, open func(t *testing.T) store.Backend) {
	b := open(t)
	mustAppend(t, b, "s", 0, event("e1"), event("e2"))
	before := readAll(t.Context(), t, b)
	statements := []string{
		`UPDATE events SET type = 'forged' WHERE idx = 0`,
		`UPDATE events SET data = data`,
		`DELETE FROM events WHERE idx = 1`,
		`DELETE FROM events`,
	}
	if b.Dialect() == store.Postgres {
		statements = append(statements, `TRUNCATE events`)
	}
	for _, stmt := range statements {
		_, err := b.DB().ExecContext(t.Context(), stmt)
		if err == nil {
			t.Errorf("%s: succeeded", stmt)
		} else if !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v; want an error saying events is append-only", stmt, err)
		}
	}
	checkSame(t, "log after refused changes", readAll(t.Context(), t, b), before)
}
