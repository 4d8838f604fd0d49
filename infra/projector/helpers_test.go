package projector_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/gen"
	"github.com/erasmus-ledger/ledger/infra/pii"
	"github.com/erasmus-ledger/ledger/infra/projector"
	"github.com/erasmus-ledger/ledger/infra/secrets"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/pgstore"
	"github.com/erasmus-ledger/ledger/infra/store/pgtest"
	"github.com/erasmus-ledger/ledger/infra/store/sqlitestore"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
	"github.com/erasmus-ledger/ledger/projections/directory"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// backends are the stores every test runs against.
var backends = []string{"sqlite", "postgres"}

// open opens a fresh store of kind ("sqlite" or "postgres") for t.
func open(t testing.TB, kind string) store.Backend {
	t.Helper()
	ctx := context.Background()
	var (
		b   store.Backend
		err error
	)
	if kind == "postgres" {
		b, err = pgstore.Open(ctx, pgtest.URL(t), pgstore.Options{})
	} else {
		b, err = sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "ledger.db"), sqlitestore.Options{})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// newCodec returns a codec for every event type, sealing with a keyring on b.
func newCodec(t testing.TB, b store.Backend) *codec.Codec {
	t.Helper()
	master, err := secrets.NewAEAD(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return codec.New(pii.NewKeyring(b.DB(), master), organisation.EventTypes(), participant.EventTypes(),
		mobility.EventTypes(), credential.EventTypes())
}

// all are the ledger's read models.
func all() []projections.Projection {
	return []projections.Projection{transcript.Projection{}, directory.Projection{}, credentialstatus.Projection{}}
}

// runner returns a runner over b with the given batch sizes.
func runner(t testing.TB, b store.Backend, c *codec.Codec, readBatch, flushEvery int) *projector.Runner {
	t.Helper()
	r, err := projector.New(context.Background(), projector.Config{Backend: b, Codec: c, Projections: all(),
		ReadBatch: readBatch, FlushEvery: flushEvery})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// generate returns the appends of a generated log of n events.
func generate(t testing.TB, c *codec.Codec, n int, seed int64) []gen.Append {
	t.Helper()
	appends, err := gen.Encode(context.Background(), c, gen.Events(n, seed))
	if err != nil {
		t.Fatal(err)
	}
	return appends
}

// load appends appends to b.
func load(t testing.TB, b store.Backend, appends []gen.Append) {
	t.Helper()
	if err := gen.Load(context.Background(), b, appends, 16); err != nil {
		t.Fatal(err)
	}
}

// expected folds the whole log of b in memory, for each read model, and
// returns its documents as JSON by key: what every run must end with.
func expected(t testing.TB, b store.Backend, c *codec.Codec) map[string]map[string]string {
	t.Helper()
	ctx := context.Background()
	var events []projections.Event
	for from := uint64(0); ; {
		recs, err := b.ReadLog(ctx, from, 5000)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			e, err := c.DecodeSealed(r)
			if err != nil {
				t.Fatal(err)
			}
			events = append(events, projections.Event{Index: r.Index, Stream: r.Stream, RecordedAt: r.RecordedAt, Data: e})
		}
		if len(recs) < 5000 {
			break
		}
		from = recs[len(recs)-1].Index + 1
	}
	out := map[string]map[string]string{}
	for _, p := range all() {
		docs := projections.NewMemory()
		if err := projections.Fold(ctx, p, docs, events); err != nil {
			t.Fatal(err)
		}
		out[p.Name()] = marshalAll(t, ctx, docs)
	}
	return out
}

func marshalAll(t testing.TB, ctx context.Context, docs *projections.Memory) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, k := range docs.Keys() {
		v, _ := docs.Get(ctx, k)
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		m[k] = string(raw)
	}
	return m
}

// stored returns every live read model's documents as stored in b, and each
// one's position.
func stored(t testing.TB, b store.Backend) (map[string]map[string]string, map[string]uint64) {
	t.Helper()
	docs, pos := map[string]map[string]string{}, map[string]uint64{}
	rows, err := b.DB().Query(`SELECT s.projection, r.key, r.doc FROM projection_state s
		JOIN read_models r ON r.projection = s.projection AND r.generation = s.live_generation`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, key string
		var doc []byte
		if err := rows.Scan(&name, &key, &doc); err != nil {
			t.Fatal(err)
		}
		if docs[name] == nil {
			docs[name] = map[string]string{}
		}
		docs[name][key] = string(doc)
	}
	prow, err := b.DB().Query(`SELECT s.projection, p.position FROM projection_state s
		JOIN projection_positions p ON p.projection = s.projection AND p.generation = s.live_generation`)
	if err != nil {
		t.Fatal(err)
	}
	defer prow.Close()
	for prow.Next() {
		var name string
		var p int64
		if err := prow.Scan(&name, &p); err != nil {
			t.Fatal(err)
		}
		pos[name] = uint64(p)
	}
	return docs, pos
}

// same fails t unless the live read models of b hold exactly want and are
// at position head.
func same(t testing.TB, b store.Backend, want map[string]map[string]string, head uint64) {
	t.Helper()
	got, pos := stored(t, b)
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if pos[name] != head {
			t.Errorf("%s: position %d, want %d", name, pos[name], head)
		}
		w, g := want[name], got[name]
		if len(w) != len(g) {
			t.Errorf("%s: %d documents, want %d", name, len(g), len(w))
		}
		diffs := 0
		for k, doc := range w {
			if g[k] != doc && diffs < 3 {
				diffs++
				t.Errorf("%s: document %s\n got %s\nwant %s", name, k, g[k], doc)
			}
		}
	}
}

// size is the number of events in b's log.
func size(t testing.TB, b store.Backend) uint64 {
	t.Helper()
	n, err := b.Size(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
