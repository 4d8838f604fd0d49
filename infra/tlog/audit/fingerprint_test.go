package audit_test

import (
	"bytes"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
)

// TestRewrittenLogIsLocatedByFingerprints audits logs changed after an
// earlier audit and then signed anew, as an operator who rewrites the log and
// its tree would: every entry agrees with the new checkpoint and the new
// tree's proofs, and only what the earlier audit remembered says what changed
// and where.
func TestRewrittenLogIsLocatedByFingerprints(t *testing.T) {
	t.Parallel()
	const n = 100
	genuine := newLedger(t, records(n))
	before := verify(t, audit.Input{Checkpoint: genuine.signed(n), Verifier: genuine.key.v, Entries: bytes.NewReader(stream(t, genuine.records))})
	if !before.OK() || before.Fingerprints.Len() != n {
		t.Fatalf("the genuine log: %v, %d fingerprints", before.Discrepancies, before.Fingerprints.Len())
	}
	cases := map[string]struct {
		tamper func([]store.Record) []store.Record
		want   []string
	}{
		"nothing changed, the log grew": {
			tamper: func(r []store.Record) []store.Record { return append(r, records(n + 5)[n:]...) },
		},
		"one payload byte changed": {
			tamper: func(r []store.Record) []store.Record {
				r[41].Data = bytes.Replace(r[41].Data, []byte("41"), []byte("40"), 1)
				return r
			},
			want: []string{"rewritten", "diverged@0", "changed@41"},
		},
		"two payloads swapped": {
			tamper: func(r []store.Record) []store.Record {
				r[30].Data, r[60].Data = r[60].Data, r[30].Data
				return r
			},
			want: []string{"rewritten", "diverged@0", "changed@30", "changed@60"},
		},
		"an entry deleted, leaving a gap": {
			tamper: func(r []store.Record) []store.Record { return append(r[:17:17], r[18:]...) },
			want:   []string{"shrunk", "missing@17", "stream-version@23", "deleted@17"},
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
			want: []string{"rewritten", "diverged@0", "changed@50"},
		},
		"an entry inserted without renumbering": {
			tamper: func(r []store.Record) []store.Record {
				forged := store.Record{Index: 20, ID: "forged", Stream: "mobility-forged", Version: 1, Type: "credential.issued",
					Schema: 1, Data: []byte(`{}`), RecordedAt: r[19].RecordedAt}
				return append(r[:20:20], append([]store.Record{forged}, r[20:]...)...)
			},
			want: []string{"misnumbered@21", "rewritten", "diverged@0", "inserted@20"},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			tampered := c.tamper(append([]store.Record(nil), genuine.records...))
			forger := newLedger(t, tampered)
			forger.key = genuine.key
			old := genuine.head(n)
			r := verify(t, audit.Input{Checkpoint: forger.signed(uint64(len(tampered))), Verifier: genuine.key.v,
				Entries: bytes.NewReader(stream(t, tampered)), Remembered: &old, RememberedFingerprints: before.Fingerprints, Prover: forger})
			if got := kinds(r); !equal(got, c.want) {
				t.Fatalf("found %v, want %v\n%v", got, c.want, r.Discrepancies)
			}
			checkWhere(t, r, tampered)
		})
	}
}

// TestFingerprintsOfAnotherSizeAreIgnored checks that fingerprints that do
// not cover exactly the remembered checkpoint's entries are not compared.
func TestFingerprintsOfAnotherSizeAreIgnored(t *testing.T) {
	t.Parallel()
	l := newLedger(t, records(30))
	before := verify(t, audit.Input{Checkpoint: l.signed(30), Verifier: l.key.v, Entries: bytes.NewReader(stream(t, l.records))})
	old := l.head(20)
	r := verify(t, audit.Input{Checkpoint: l.signed(30), Verifier: l.key.v, Entries: bytes.NewReader(stream(t, l.records)),
		Remembered: &old, RememberedFingerprints: before.Fingerprints})
	if !r.OK() {
		t.Fatalf("found %v", r.Discrepancies)
	}
	if r.Fingerprints.Len() != 30 {
		t.Fatalf("%d fingerprints, want 30", r.Fingerprints.Len())
	}
	for i, lf := range l.leaves {
		h := tlog.RecordHash(lf)
		if got := r.Fingerprints[i*audit.FingerprintSize : (i+1)*audit.FingerprintSize]; !bytes.Equal(got, h[:audit.FingerprintSize]) {
			t.Fatalf("fingerprint %d is %x, its leaf hash %x", i, got, h)
		}
	}
}

// TestRememberedCheckpointCheckedOnce audits a changed log against the very
// checkpoint the audit before remembered: the change is reported once, as
// the checkpoint's, not again as the remembered one's.
func TestRememberedCheckpointCheckedOnce(t *testing.T) {
	t.Parallel()
	l := newLedger(t, records(50))
	before := verify(t, audit.Input{Checkpoint: l.signed(50), Verifier: l.key.v, Entries: bytes.NewReader(stream(t, l.records))})
	tampered := append([]store.Record(nil), l.records...)
	tampered[20].Type = "credential.revoked"
	old := l.head(50)
	r := verify(t, audit.Input{Checkpoint: l.signed(50), Verifier: l.key.v, Entries: bytes.NewReader(stream(t, tampered)),
		Remembered: &old, RememberedFingerprints: before.Fingerprints, Prover: l})
	if got := kinds(r); !equal(got, []string{"root-mismatch", "diverged@20", "changed@20"}) {
		t.Fatalf("found %v", r.Discrepancies)
	}
}
