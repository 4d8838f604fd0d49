package codec_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/gen"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
	"github.com/erasmus-ledger/ledger/projections/directory"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// sameAsMarshal fails t unless AppendJSON, after prefix, gives exactly what
// json.Marshal gives for v, errors included.
func sameAsMarshal(t *testing.T, v any) {
	t.Helper()
	prefix := []byte("prefix")
	got, gotErr := codec.AppendJSON(prefix, v)
	want, wantErr := json.Marshal(v)
	if (gotErr != nil) != (wantErr != nil) {
		t.Fatalf("%#v: error %v, json.Marshal's %v", v, gotErr, wantErr)
	}
	if wantErr == nil && !bytes.Equal(got, append([]byte("prefix"), want...)) {
		t.Fatalf("%#v:\n got %s\nwant prefix%s", v, got, want)
	}
}

// foldedDocs returns every document of every read model folded from a
// generated log.
func foldedDocs(t testing.TB, events int) []any {
	t.Helper()
	c := allCodec()
	appends, err := gen.Encode(context.Background(), c, gen.Events(events, 11))
	if err != nil {
		t.Fatal(err)
	}
	var evs []projections.Event
	for i, a := range appends {
		e, err := c.DecodeSealed(record(a.Event))
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2024, 1, 2, 3, 4, 5, i*1_000_013, time.UTC)
		evs = append(evs, projections.Event{Index: uint64(i), Stream: a.Stream, RecordedAt: at, Data: e})
	}
	var docs []any
	ctx := context.Background()
	for _, p := range []projections.Projection{transcript.Projection{}, directory.Projection{}, credentialstatus.Projection{}} {
		m := projections.NewMemory()
		if err := projections.Fold(ctx, p, m, evs); err != nil {
			t.Fatal(err)
		}
		for _, k := range m.Keys() {
			d, _ := m.Get(ctx, k)
			docs = append(docs, d)
		}
	}
	return docs
}

func TestAppendJSONMatchesMarshalOnFoldedDocuments(t *testing.T) {
	docs := foldedDocs(t, 5_000)
	if len(docs) < 1_000 {
		t.Fatalf("only %d documents folded", len(docs))
	}
	for _, d := range docs {
		sameAsMarshal(t, d)
	}
}

func TestAppendJSONMatchesMarshalOnEdgeCases(t *testing.T) {
	ects, tiny, huge := 7.5, 1e-7, 1e21
	nan, inf := math.NaN(), math.Inf(-1)
	paris := time.FixedZone("", 2*3600+30*60)
	awry := time.FixedZone("", 25*3600)
	strs := []string{"", "plain", `q"b\s`, "\b\f\n\r\t\x00\x01\x1f\x7f", "<a href='x'>&</a>", "café ☕ 😀",
		"bad \xff\xfe utf8 \xc3", "line\u2028para\u2029", "\xe2\x80"}
	for _, s := range strs {
		sameAsMarshal(t, &transcript.Outcome{ID: s, Title: s, Description: s, Evidence: s})
		sameAsMarshal(t, s)
	}
	cases := []any{
		&transcript.Mobility{},
		transcript.Mobility{Outcomes: []transcript.Outcome{}, ECTS: &ects, Hours: &tiny},
		&transcript.Mobility{ECTS: &huge, Hours: &nan},
		&transcript.Mobility{ECTS: &inf},
		&transcript.Mobility{PlannedStart: domain.MustDate("2024-02-29"), AgreedAt: time.Date(2024, 3, 1, 2, 3, 4, 500, paris)},
		&transcript.Mobility{AgreedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		&transcript.Mobility{AgreedAt: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
		&transcript.Mobility{AgreedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, awry)},
		&transcript.Mobility{Host: mobility.Host{Name: "<h>"}, Credentials: []transcript.Credential{{ID: "c", LogIndex: math.MaxUint64}}},
		&transcript.Participant{Mobilities: nil},
		&directory.Organisation{Sending: map[mobility.State]int{"b": 1, "a": 2}},
		&credentialstatus.List{Set: []int{-1, 0, math.MaxInt64}},
		(*transcript.Participant)(nil),
		nil,
		struct {
			F float32 `json:"f"`
			G float32 `json:"g,omitempty"`
			I int8    `json:",omitempty"`
			B bool    `json:"b,omitempty"`
			S []bool  `json:"s,omitempty"`
			u int
		}{F: 1e-7, G: 3.4e38},
		struct {
			N int `json:"n,string"`
		}{N: 3},
		struct {
			N int `json:"n,omitzero"`
		}{},
		struct {
			R json.RawMessage `json:"r"`
			B []byte          `json:"b"`
			A any             `json:"a"`
		}{R: json.RawMessage(`{ "x" : 1 }`), B: []byte("hi"), A: 1},
		struct {
			Weird string `json:"w<>"`
		}{Weird: "x"},
	}
	for _, v := range cases {
		sameAsMarshal(t, v)
	}
}

// BenchmarkAppendJSON reports the cost of encoding folded documents with
// AppendJSON into a reused buffer and with json.Marshal.
func BenchmarkAppendJSON(b *testing.B) {
	docs := foldedDocs(b, 10_000)
	b.Run("append", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			for _, d := range docs {
				buf, _ = codec.AppendJSON(buf[:0], d)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/doc")
	})
	b.Run("marshal", func(b *testing.B) {
		for b.Loop() {
			for _, d := range docs {
				if _, err := json.Marshal(d); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(docs)), "ns/doc")
	})
}

func TestAppendJSONEscapesEveryByteAtEveryOffset(t *testing.T) {
	for b := range 256 {
		for pos := range 17 {
			s := []byte("abcdefghijklmnopqrstuvwxyz")[:17]
			s[pos] = byte(b)
			sameAsMarshal(t, string(s))
			sameAsMarshal(t, string(s)+"\u2028 and é then a long plain tail")
		}
	}
}
