package auditor_test

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/auditor"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
)

// tamperSize is the size of the ledgers tampered with.
const tamperSize = 300

// superuser runs fn in a transaction of its own on url as the database
// superuser, with every trigger off (session_replication_role = replica):
// what an operator with full access to the database could do behind the
// ledger's back, append-only triggers notwithstanding.
func superuser(t *testing.T, url string, fn func(ctx context.Context, tx pgx.Tx) error) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			return err
		}
		return fn(ctx, tx)
	})
	if err != nil {
		t.Fatalf("tamper: %v", err)
	}
}

// exec runs one statement.
func exec(ctx context.Context, tx pgx.Tx, sql string, args ...any) error {
	_, err := tx.Exec(ctx, sql, args...)
	return err
}

// nth is the index of the nth event of type typ from index from on.
func nth(t *testing.T, recs []store.Record, from int, typ string, n int) int {
	t.Helper()
	for i := from; i < len(recs); i++ {
		if recs[i].Type == typ {
			if n--; n == 0 {
				return i
			}
		}
	}
	t.Fatalf("no %d %s events after %d", n, typ, from)
	return 0
}

// credited is the index of the first mobility agreement in the second half
// of the log whose mobility got a credential.
func credited(t *testing.T, recs []store.Record) int {
	t.Helper()
	for i := tamperSize / 2; i < len(recs); i++ {
		if recs[i].Type != "mobility.agreed" {
			continue
		}
		id := []byte(`"mobility_id":"` + strings.TrimPrefix(recs[i].Stream, domain.MobilityStream("")) + `"`)
		if slices.ContainsFunc(recs[i:], func(r store.Record) bool { return r.Type == "credential.issued" && bytes.Contains(r.Data, id) }) {
			return i
		}
	}
	t.Fatal("no credited mobility agreed in the second half of the log")
	return 0
}

// tamperCase is a change behind the ledger's back and what an audit must
// then find.
type tamperCase struct {
	// tamper changes the database and returns the entries the audit must
	// name: indexes in the log as tampered.
	tamper func(t *testing.T, s *served, url string, recs []store.Record) []int
	// want is every discrepancy about the log the audit must report, as
	// "kind@index" (or "kind" for those that say no entry), with the indexes
	// of the entries tamper returned as $0, $1.
	want []string
	// differs, if set, is what a read-model-differs discrepancy must say,
	// and at least one must be reported; if not set, whether the read models
	// the ledger serves, folded before the tampering, still agree with the
	// tampered log depends on what the tampering touched, and is not checked.
	differs *regexp.Regexp
}

// TestTamperingIsDetected tampers with a ledger's PostgreSQL database the
// way its operator could, after an outside auditor audited it, and runs the
// auditor's next audit against the running ledger: each change must be
// found, and said what it is and which entry it touched (index, stream and
// event ID).
func TestTamperingIsDetected(t *testing.T) {
	t.Parallel()
	cases := map[string]tamperCase{
		"one byte of one payload changed": {
			tamper: func(t *testing.T, s *served, url string, recs []store.Record) []int {
				k := nth(t, recs, tamperSize/2, "mobility.completed", 1)
				superuser(t, url, func(ctx context.Context, tx pgx.Tx) error {
					return exec(ctx, tx, `UPDATE events SET data = set_byte(data, 20, get_byte(data, 20) # 1) WHERE idx = $1`, k)
				})
				return []int{k}
			},
			want: []string{"root-mismatch", "diverged@$0", "changed@$0"},
		},
		"a row deleted": {
			tamper: func(t *testing.T, s *served, url string, recs []store.Record) []int {
				k := credited(t, recs)
				next := slices.IndexFunc(recs[k+1:], func(r store.Record) bool { return r.Stream == recs[k].Stream }) + k + 1
				superuser(t, url, func(ctx context.Context, tx pgx.Tx) error {
					return exec(ctx, tx, `DELETE FROM events WHERE idx = $1`, k)
				})
				return []int{k, next - 1}
			},
			// The ledger's read models were folded before the row went, so the
			// transcript it serves still holds the mobility whose agreement is
			// gone; the log replayed no longer does. (What the ledger answers
			// for that mobility's credential depends on which of its records it
			// had cached, so the test does not rely on it.)
			want:    []string{"missing@$0", "stream-version@$1", "missing", "diverged@$0", "deleted@$0"},
			differs: regexp.MustCompile(`participant par_\w+: the ledger's transcript differs from the log's in the number of mobilities \(\d+ served, \d+ in the log\)`),
		},
		"two rows' payloads swapped": {
			tamper: func(t *testing.T, s *served, url string, recs []store.Record) []int {
				a := nth(t, recs, tamperSize/3, "mobility.completed", 1)
				b := nth(t, recs, a+1, "mobility.completed", 3)
				superuser(t, url, func(ctx context.Context, tx pgx.Tx) error {
					return exec(ctx, tx, `UPDATE events SET data = CASE idx WHEN $1 THEN (SELECT data FROM events WHERE idx = $2)
						ELSE (SELECT data FROM events WHERE idx = $1) END WHERE idx IN ($1, $2)`, a, b)
				})
				return []int{a, b}
			},
			want: []string{"root-mismatch", "diverged@$0", "changed@$0", "changed@$1"},
		},
		"a row inserted in the middle": {
			tamper: func(t *testing.T, s *served, url string, recs []store.Record) []int {
				k := tamperSize / 2
				superuser(t, url, func(ctx context.Context, tx pgx.Tx) error {
					return insertForged(ctx, tx, k)
				})
				waitCheckpoint(t, s, tamperSize+1)
				return []int{k}
			},
			// The ledger went on to sign a checkpoint of the changed log, which
			// contradicts both the checkpoint before and its own tree.
			want: []string{"rewritten", "diverged@$0", "root-mismatch", "diverged@$0", "changed@$0"},
		},
		"a read model changed, the log not": {
			tamper: func(t *testing.T, s *served, url string, recs []store.Record) []int {
				k := nth(t, recs, tamperSize/2, "mobility.completed", 1)
				key := "m/" + strings.TrimPrefix(recs[k].Stream, domain.MobilityStream(""))
				superuser(t, url, func(ctx context.Context, tx pgx.Tx) error {
					return exec(ctx, tx, `UPDATE read_models SET doc = convert_to(replace(convert_from(doc, 'UTF8'), '"hours":', '"hours":1'), 'UTF8')
						WHERE projection = 'transcript' AND key = $1`, key)
				})
				return nil
			},
			differs: regexp.MustCompile(`participant par_\w+: the ledger's transcript differs from the log's in mobility mob_\w+ \(hours: 1\d+ served, \d+ in the log\)`),
		},
		"a payload changed and the tree rewritten to match": {
			tamper: func(t *testing.T, s *served, url string, recs []store.Record) []int {
				k := nth(t, recs, tamperSize/2, "credential.issued", 1)
				s.stop()
				superuser(t, url, func(ctx context.Context, tx pgx.Tx) error {
					return rewrite(ctx, tx, k)
				})
				restarted := serve(t, s.cfg)
				*s = *restarted
				waitCheckpoint(t, s, tamperSize)
				return []int{k}
			},
			want:    []string{"rewritten", "diverged@0", "changed@$0"},
			differs: regexp.MustCompile(`credential crd\w+ \(issued at entry \d+\): the ledger does not know it`),
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testTamper(t, c)
		})
	}
}

// testTamper audits a genuine ledger, tampers with it, audits it again and
// checks what the second audit found.
func testTamper(t *testing.T, c tamperCase) {
	cfg := config(t, "postgres")
	s := serve(t, cfg)
	fill(t, s, tamperSize, 7)
	waitCheckpoint(t, s, tamperSize)
	if err := s.app.Projections.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	state := statePath(t)
	mustPass(t, run(t, auditor.Options{URL: s.url, State: state}))
	where := c.tamper(t, s, cfg.DatabaseURL, entries(t, s.app.Backend))
	token, err := s.app.MintToken("auditor-1", []domain.Role{domain.RoleAuditor}, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, auditor.Options{URL: s.url, State: state, Full: true, Token: token})
	var b strings.Builder
	res.WriteReport(&b)
	logs, models := split(res.Discrepancies())
	if got, want := located(logs), expand(c.want, where); !slices.Equal(got, want) {
		t.Fatalf("found %v, want %v\n%s", got, want, b.String())
	}
	if c.differs != nil && !slices.ContainsFunc(models, func(d audit.Discrepancy) bool { return c.differs.MatchString(d.Detail) }) {
		t.Fatalf("no read model difference matches %s\n%s", c.differs, b.String())
	}
	checkWhere(t, res.Discrepancies(), entries(t, s.app.Backend))
	if testing.Verbose() {
		t.Log(b.String())
	}
	if res.OK() || res.StateSaved != "" {
		t.Fatal("a tampered ledger passed, or the state was updated")
	}
}

// split parts the discrepancies about the log from those about the read
// models the ledger serves.
func split(ds []audit.Discrepancy) (logs, models []audit.Discrepancy) {
	for _, d := range ds {
		if d.Kind == auditor.Differs {
			models = append(models, d)
		} else {
			logs = append(logs, d)
		}
	}
	return logs, models
}

// expand replaces $0, $1 … in want with the indexes where.
func expand(want []string, where []int) []string {
	out := make([]string, len(want))
	for i, w := range want {
		for j, k := range where {
			w = strings.ReplaceAll(w, "$"+strconv.Itoa(j), strconv.Itoa(k))
		}
		out[i] = w
	}
	return out
}

// checkWhere checks that each discrepancy that names an entry names the
// stream and event ID of the entry served at its position.
func checkWhere(t *testing.T, ds []audit.Discrepancy, served []store.Record) {
	t.Helper()
	for _, d := range ds {
		if !d.HasWhere {
			continue
		}
		if got := served[d.Index]; d.Stream != got.Stream || d.EventID != got.ID {
			t.Errorf("%s names stream %q event %q; the entry served there is %q %q", d, d.Stream, d.EventID, got.Stream, got.ID)
		}
	}
}

// insertForged shifts every event from index k on one place up and puts a
// forged event at k.
func insertForged(ctx context.Context, tx pgx.Tx, k int) error {
	if err := exec(ctx, tx, `UPDATE events SET idx = idx + 1000000 WHERE idx >= $1`, k); err != nil {
		return err
	}
	if err := exec(ctx, tx, `UPDATE events SET idx = idx - 999999 WHERE idx >= 1000000`); err != nil {
		return err
	}
	return exec(ctx, tx, `INSERT INTO events (idx, id, stream, version, type, schema_version, data, meta, recorded_at)
		SELECT $1::bigint, 'ev_forged', $2, 1, 'organisation.registered', 1, convert_to($3, 'UTF8'), '{}', recorded_at
		FROM events WHERE idx = $1::bigint - 1`,
		k, domain.OrganisationStream("E99999999"), `{"oid":"E99999999","name":"Forged Academy","country":"MT","kind":"school"}`)
}

// rewrite changes the payload of event k, then throws the Merkle tree and
// every checkpoint away, so that a ledger started afresh rebuilds the tree
// from the changed log and signs it anew with the same key.
func rewrite(ctx context.Context, tx pgx.Tx, k int) error {
	for _, q := range []string{
		`UPDATE events SET data = set_byte(data, 20, get_byte(data, 20) # 1) WHERE idx = $1`,
		`DELETE FROM tlog_hashes WHERE $1 >= 0`,
		`DELETE FROM tlog_checkpoints WHERE $1 >= 0`,
		`UPDATE tlog_tree SET size = 0 WHERE $1 >= 0`,
	} {
		if err := exec(ctx, tx, q, k); err != nil {
			return err
		}
	}
	return nil
}
