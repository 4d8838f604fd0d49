package audit_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

const origin = "ledger.example.eu/recognition"

// signer is a checkpoint key pair for the tests.
type signer struct {
	s note.Signer
	v note.Verifier
}

func newSigner(t testing.TB) signer {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := note.NewSigner(skey)
	v, _ := note.NewVerifier(vkey)
	return signer{s, v}
}

// records makes a log of n events over a few streams, as a store returns it.
func records(n int) []store.Record {
	t0 := time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)
	versions := map[string]uint64{}
	out := make([]store.Record, n)
	for i := range out {
		stream := fmt.Sprintf("mobility-%d", i%7)
		versions[stream]++
		out[i] = store.Record{
			Index: uint64(i), ID: fmt.Sprintf("ev-%05d", i), Stream: stream, Version: versions[stream],
			Type: "mobility.recorded", Schema: 1, Meta: store.Metadata{Actor: "E10208051"},
			Data:       fmt.Appendf(nil, `{"n":%d,"sealed":"%s"}`, i, strings.Repeat("QUJD", 50)),
			RecordedAt: t0.Add(time.Duration(i) * time.Millisecond),
		}
	}
	return out
}

// ledger is a log as the ledger signed it: the records, their independent
// reference tree, and a way to sign checkpoints of it.
type ledger struct {
	t       testing.TB
	records []store.Record
	leaves  [][]byte
	tree    *testonly.Tree
	key     signer
}

func newLedger(t testing.TB, recs []store.Record) *ledger {
	l := &ledger{t: t, records: recs, tree: testonly.New(rfc6962.DefaultHasher), key: newSigner(t)}
	for _, r := range recs {
		b, err := leaf.Encode(r)
		if err != nil {
			t.Fatal(err)
		}
		l.leaves = append(l.leaves, b)
		l.tree.AppendData(b)
	}
	return l
}

// head is the unsigned checkpoint of the first n entries.
func (l *ledger) head(n uint64) checkpoint.Checkpoint {
	return checkpoint.Checkpoint{Origin: origin, Size: n, Root: tlog.Hash(l.tree.HashAt(n))}
}

// signed is the signed checkpoint of the first n entries.
func (l *ledger) signed(n uint64) []byte {
	msg, err := checkpoint.Sign(l.head(n), l.key.s)
	if err != nil {
		l.t.Fatal(err)
	}
	return msg
}

// ConsistencyProof proves from the signed tree, as an honest ledger would.
func (l *ledger) ConsistencyProof(_ context.Context, old, size uint64) ([]tlog.Hash, error) {
	p, err := l.tree.ConsistencyProof(old, size)
	if err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(p))
	for i := range p {
		out[i] = tlog.Hash(p[i])
	}
	return out, nil
}

// stream is the entries stream of recs.
func stream(t testing.TB, recs []store.Record) []byte {
	var b []byte
	for _, r := range recs {
		l, err := leaf.Encode(r)
		if err != nil {
			t.Fatal(err)
		}
		b = entry.AppendLine(b, r, l)
	}
	return b
}

// kinds lists the kinds of the report's discrepancies, and where.
func kinds(r *audit.Report) []string {
	var out []string
	for _, d := range r.Discrepancies {
		if d.HasWhere {
			out = append(out, fmt.Sprintf("%s@%d", d.Kind, d.Index))
		} else {
			out = append(out, string(d.Kind))
		}
	}
	return out
}

func verify(t *testing.T, in audit.Input) *audit.Report {
	t.Helper()
	r, err := audit.Verify(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestGenuineLogPasses(t *testing.T) {
	t.Parallel()
	l := newLedger(t, records(300))
	for _, remembered := range []uint64{0, 1, 7, 128, 299, 300} {
		old := l.head(remembered)
		var progress []uint64
		r := verify(t, audit.Input{Checkpoint: l.signed(300), Verifier: l.key.v, Entries: bytes.NewReader(stream(t, l.records)),
			Remembered: &old, Prover: l, Progress: func(read, total uint64) { progress = append(progress, read) }})
		if !r.OK() || r.Entries != 300 || r.Root != l.head(300).Root {
			t.Fatalf("remembered %d: %v, %d entries, root %s", remembered, r.Discrepancies, r.Entries, r.Root)
		}
		if len(progress) == 0 || progress[len(progress)-1] != 300 {
			t.Fatalf("progress %v does not end at 300", progress)
		}
	}
}

// TestEntriesBeyondTheCheckpointAreNotRead audits an archive that grew
// after the checkpoint was fetched.
func TestEntriesBeyondTheCheckpointAreNotRead(t *testing.T) {
	t.Parallel()
	l := newLedger(t, records(50))
	r := verify(t, audit.Input{Checkpoint: l.signed(40), Verifier: l.key.v, Entries: bytes.NewReader(append(stream(t, l.records), "not read\n"...))})
	if !r.OK() || r.Entries != 40 {
		t.Fatalf("%v, %d entries", r.Discrepancies, r.Entries)
	}
}

// TestTamperedEntries audits crafted streams against a checkpoint signed over
// the genuine log, with a ledger that still proves from the genuine tree.
func TestTamperedEntries(t *testing.T) {
	t.Parallel()
	const n = 100
	l := newLedger(t, records(n))
	cases := map[string]struct {
		tamper func([]store.Record) []store.Record
		want   []string
	}{
		"one payload byte changed": {
			tamper: func(r []store.Record) []store.Record {
				r[41].Data = bytes.Replace(r[41].Data, []byte("41"), []byte("42"), 1)
				return r
			},
			want: []string{"root-mismatch", "diverged@41"},
		},
		"an entry deleted": {
			tamper: func(r []store.Record) []store.Record { return append(append(r[:17:17], r[18:]...), r[0]) },
			want:   []string{"missing@17", "stream-version@23", "misnumbered@99", "stream-version@99", "duplicate-id@99", "time-reversed@99", "root-mismatch", "diverged@17"},
		},
		"an entry deleted and the rest renumbered": {
			tamper: func(r []store.Record) []store.Record {
				r = append(r[:17:17], r[18:]...)
				for i := 17; i < len(r); i++ {
					r[i].Index--
				}
				return r
			},
			want: []string{"stream-version@23", "missing", "diverged@17"},
		},
		"two payloads swapped": {
			tamper: func(r []store.Record) []store.Record {
				r[30].Data, r[60].Data = r[60].Data, r[30].Data
				return r
			},
			want: []string{"root-mismatch", "diverged@30"},
		},
		"an entry inserted and the rest renumbered": {
			tamper: func(r []store.Record) []store.Record {
				forged := store.Record{Index: 50, ID: "forged", Stream: "mobility-forged", Version: 1, Type: "credential.issued",
					Schema: 1, Data: []byte(`{}`), RecordedAt: r[49].RecordedAt}
				r = append(r[:50:50], append([]store.Record{forged}, r[50:]...)...)
				for i := 51; i < len(r); i++ {
					r[i].Index++
				}
				return r
			},
			want: []string{"root-mismatch", "diverged@50"},
		},
		"the stream cut short": {
			tamper: func(r []store.Record) []store.Record { return r[:90] },
			want:   []string{"missing"},
		},
		"the stream cut short after a changed entry": {
			tamper: func(r []store.Record) []store.Record {
				r[70].Type = "credential.revoked"
				return r[:90]
			},
			want: []string{"missing", "diverged@70"},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			tampered := c.tamper(append([]store.Record(nil), l.records...))
			r := verify(t, audit.Input{Checkpoint: l.signed(n), Verifier: l.key.v, Entries: bytes.NewReader(stream(t, tampered)), Prover: l})
			if got := kinds(r); !equal(got, c.want) {
				t.Fatalf("found %v, want %v\n%v", got, c.want, r.Discrepancies)
			}
			checkWhere(t, r, tampered)
		})
	}
}

func equal(a, b []string) bool { return strings.Join(a, " ") == strings.Join(b, " ") }

// checkWhere checks that each located discrepancy names the stream and
// event of the entry at its index in the audited stream.
func checkWhere(t *testing.T, r *audit.Report, audited []store.Record) {
	t.Helper()
	for _, d := range r.Discrepancies {
		if !d.HasWhere || d.Kind == audit.Malformed {
			continue
		}
		if got := audited[d.Index]; d.Stream != got.Stream || d.EventID != got.ID {
			t.Errorf("%s names stream %q event %q; entry %d is %q %q", d, d.Stream, d.EventID, d.Index, got.Stream, got.ID)
		}
	}
}

// TestTreeRewrittenToo audits a changed entry against a ledger whose proofs
// come from a tree rewritten to match it: the divergence cannot be located
// past entry 0, and the report must say that it is unsure.
func TestTreeRewrittenToo(t *testing.T) {
	t.Parallel()
	l := newLedger(t, records(64))
	tampered := append([]store.Record(nil), l.records...)
	tampered[40].Data = []byte(`{"n":40,"sealed":"forged"}`)
	forger := newLedger(t, tampered)
	r := verify(t, audit.Input{Checkpoint: l.signed(64), Verifier: l.key.v, Entries: bytes.NewReader(stream(t, tampered)), Prover: forger})
	if got := kinds(r); !equal(got, []string{"root-mismatch", "diverged@0"}) || !strings.Contains(r.Discrepancies[1].Detail, "or the ledger's stored tree") {
		t.Fatalf("found %v", r.Discrepancies)
	}
}

func TestSelfContradictingEntries(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		edit func([]store.Record)
		want []string
	}{
		"a version skipped": {func(r []store.Record) { r[20].Version++ }, []string{"stream-version@20", "stream-version@27"}},
		"an ID repeated":    {func(r []store.Record) { r[20].ID = r[3].ID }, []string{"duplicate-id@20"}},
		"time going back":   {func(r []store.Record) { r[20].RecordedAt = r[2].RecordedAt }, []string{"time-reversed@20"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			recs := records(40)
			c.edit(recs)
			l := newLedger(t, recs)
			r := verify(t, audit.Input{Checkpoint: l.signed(40), Verifier: l.key.v, Entries: bytes.NewReader(stream(t, recs)), Prover: l})
			if got := kinds(r); !equal(got, c.want) {
				t.Fatalf("found %v, want %v", got, c.want)
			}
			checkWhere(t, r, recs)
		})
	}
}

func TestUnreadableAndMalformed(t *testing.T) {
	t.Parallel()
	l := newLedger(t, records(10))
	lines := strings.SplitAfter(string(stream(t, l.records)), "\n")
	garbage := strings.Join(lines[:4], "") + "{not json\n" + strings.Join(lines[5:], "")
	r := verify(t, audit.Input{Checkpoint: l.signed(10), Verifier: l.key.v, Entries: strings.NewReader(garbage)})
	if got := kinds(r); !equal(got, []string{"unreadable"}) || r.Discrepancies[0].Index != 4 {
		t.Fatalf("garbage line: %v", r.Discrepancies)
	}
	bad := append([]byte{}, l.leaves[3]...)
	bad[0] = 9
	recs := append([]store.Record(nil), l.records...)
	s := string(stream(t, recs[:3])) + string(entry.AppendLine(nil, recs[3], bad)) + string(stream(t, recs[4:]))
	r = verify(t, audit.Input{Checkpoint: l.signed(10), Verifier: l.key.v, Entries: strings.NewReader(s), Prover: l})
	if got := kinds(r); !equal(got, []string{"malformed@3", "root-mismatch", "diverged@3"}) {
		t.Fatalf("malformed leaf: %v", r.Discrepancies)
	}
}

func TestCheckpointProblems(t *testing.T) {
	t.Parallel()
	l := newLedger(t, records(20))
	entries := stream(t, l.records)
	other := newSigner(t)
	forged, _ := checkpoint.Sign(l.head(20), other.s)
	older := l.head(10)
	larger := l.head(20)
	larger.Size = 25
	fork := l.head(10)
	fork.Root[0] ^= 1
	elsewhere := l.head(10)
	elsewhere.Origin = "ledger.example.org/other"
	cases := map[string]struct {
		in   audit.Input
		want []string
	}{
		"signed by another key": {audit.Input{Checkpoint: forged}, []string{"signature"}},
		"not a note":            {audit.Input{Checkpoint: []byte("hello\n")}, []string{"signature"}},
		"older than remembered": {audit.Input{Checkpoint: l.signed(10), Remembered: &larger}, []string{"shrunk"}},
		"of another log":        {audit.Input{Checkpoint: l.signed(20), Remembered: &elsewhere}, []string{"other-log"}},
		"fork of the remembered": {audit.Input{Checkpoint: l.signed(20), Remembered: &fork, Prover: l},
			[]string{"rewritten", "diverged@0"}},
		"extends the remembered": {audit.Input{Checkpoint: l.signed(20), Remembered: &older, Prover: l}, nil},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			c.in.Verifier, c.in.Entries = l.key.v, bytes.NewReader(entries)
			if got := kinds(verify(t, c.in)); !equal(got, c.want) {
				t.Fatalf("found %v, want %v", got, c.want)
			}
		})
	}
}
