package leaf_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// sample is a record with every field set.
func sample() store.Record {
	return store.Record{
		Index:      7,
		ID:         "e-1",
		Stream:     "mob-9",
		Version:    2,
		Type:       "mobility.completed",
		Schema:     1,
		Data:       []byte(`{"ects":3}`),
		Meta:       store.Metadata{Actor: "E10208051", CorrelationID: "c1"},
		RecordedAt: time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC),
	}
}

// hexOf is the hex of s, for spelling out expected leaves.
func hexOf(s string) string { return hex.EncodeToString([]byte(s)) }

// TestGolden pins format version 1 byte for byte. If it fails, the encoding
// changed and every signed checkpoint would stop verifying: restore it.
func TestGolden(t *testing.T) {
	want := strings.Join([]string{
		"01",                                     // format version
		"0000000000000007",                       // index 7
		"00000003" + hexOf("e-1"),                // ID
		"00000005" + hexOf("mob-9"),              // stream
		"0000000000000002",                       // version 2
		"00000012" + hexOf("mobility.completed"), // type
		"00000001",                               // schema 1
		"0006304a09fd9121",                       // 1741944413589793 µs = 2025-03-14T09:26:53.589793Z
		"00000002",                               // two metadata pairs
		"00000005" + hexOf("actor") + "00000009" + hexOf("E10208051"),
		"0000000e" + hexOf("correlation_id") + "00000002" + hexOf("c1"),
		"0000000a" + hexOf(`{"ects":3}`), // payload
	}, "")
	got, err := leaf.Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(got) != want {
		t.Fatalf("leaf\n got %x\nwant %s", got, want)
	}
	if len(got) != leaf.Size(sample()) {
		t.Fatalf("Size = %d, leaf has %d bytes", leaf.Size(sample()), len(got))
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	full := sample()
	full.Meta = store.Metadata{Actor: "a", CorrelationID: "b", CausationID: "c", IdempotencyKey: "d"}
	empty := store.Record{RecordedAt: time.UnixMicro(0).UTC()}
	negative := sample()
	negative.RecordedAt = time.Date(1960, 1, 1, 0, 0, 0, 1000, time.UTC)
	binary := sample()
	binary.Data = []byte{0, 0xff, '\n', 0x80}
	for name, r := range map[string]store.Record{"sample": sample(), "all metadata": full, "empty": empty, "before 1970": negative, "binary payload": binary} {
		t.Run(name, func(t *testing.T) {
			b, err := leaf.Encode(r)
			if err != nil {
				t.Fatal(err)
			}
			got, err := leaf.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Data) == 0 {
				r.Data = []byte{}
			}
			if !reflect.DeepEqual(got, r) {
				t.Fatalf("decoded %+v, want %+v", got, r)
			}
		})
	}
}

func TestEncodeTruncatesToMicroseconds(t *testing.T) {
	a, b := sample(), sample()
	b.RecordedAt = b.RecordedAt.Add(999 * time.Nanosecond).In(time.FixedZone("CET", 3600))
	la, _ := leaf.Encode(a)
	lb, _ := leaf.Encode(b)
	if !bytes.Equal(la, lb) {
		t.Fatal("the same microsecond in another zone gave another leaf")
	}
}

func TestEncodeRejects(t *testing.T) {
	for name, schema := range map[string]int{"negative schema": -1, "schema beyond uint32": 1 << 32} {
		t.Run(name, func(t *testing.T) {
			r := sample()
			r.Schema = schema
			if _, err := leaf.Encode(r); err == nil {
				t.Fatal("encoded a schema version no leaf can hold")
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	good, _ := leaf.Encode(sample())
	swapped := sample()
	swapped.Meta = store.Metadata{}
	noMeta, _ := leaf.Encode(swapped)
	metaAt := len(noMeta) - 4 - len(swapped.Data) - 4 // the position of the pair count
	withPairs := func(pairs ...string) []byte {
		b := append([]byte{}, noMeta[:metaAt]...)
		b = append(b, 0, 0, 0, byte(len(pairs)/2))
		for _, p := range pairs {
			b = append(b, 0, 0, 0, byte(len(p)))
			b = append(b, p...)
		}
		return append(b, noMeta[metaAt+4:]...)
	}
	if _, err := leaf.Decode(withPairs("actor", "x")); err != nil {
		t.Fatalf("the pair-building helper is wrong: %v", err)
	}
	cases := map[string][]byte{
		"empty":                   {},
		"version 2":               append([]byte{2}, good[1:]...),
		"truncated":               good[:len(good)-1],
		"trailing byte":           append(append([]byte{}, good...), 0),
		"length beyond the leaf":  append(append([]byte{}, good[:9]...), 0xff, 0xff, 0xff, 0xff),
		"unknown metadata key":    withPairs("colour", "red"),
		"keys out of order":       withPairs("correlation_id", "x", "actor", "y"),
		"repeated key":            withPairs("actor", "x", "actor", "y"),
		"empty metadata value":    withPairs("actor", ""),
		"more pairs than written": withPairs("actor", "x")[:metaAt+4],
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := leaf.Decode(b); !errors.Is(err, leaf.ErrMalformed) {
				t.Fatalf("Decode = %v, want ErrMalformed", err)
			}
			if _, err := new(leaf.Decoder).Decode(b); !errors.Is(err, leaf.ErrMalformed) {
				t.Fatalf("Decoder.Decode = %v, want ErrMalformed", err)
			}
		})
	}
}

// TestMetadataFieldsCovered fails when store.Metadata gains a field: the leaf
// must then learn its key, or the field would escape the Merkle tree.
func TestMetadataFieldsCovered(t *testing.T) {
	if n := reflect.TypeFor[store.Metadata]().NumField(); n != 4 {
		t.Fatalf("store.Metadata has %d fields; the leaf encodes 4: add the new key to metaKeys and LEAF.md", n)
	}
}

// FuzzDecode checks that every accepted leaf is canonical: encoding what was
// decoded gives back the same bytes.
func FuzzDecode(f *testing.F) {
	good, _ := leaf.Encode(sample())
	f.Add(good)
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := leaf.Decode(b)
		var d leaf.Decoder
		if shared, sharedErr := d.Decode(b); (sharedErr == nil) != (err == nil) || !reflect.DeepEqual(shared, r) {
			t.Fatalf("Decoder.Decode = %+v, %v; Decode %+v, %v", shared, sharedErr, r, err)
		}
		if err != nil {
			return
		}
		again, err := leaf.Encode(r)
		if err != nil {
			t.Fatalf("decoded record does not encode: %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("Decode accepted a non-canonical leaf\n got %x\nwant %x", again, b)
		}
	})
}

func BenchmarkLeafEncode(b *testing.B) {
	r := sample()
	r.Data = bytes.Repeat([]byte("x"), 400)
	buf := make([]byte, 0, 1024)
	b.SetBytes(int64(leaf.Size(r)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = leaf.Append(buf[:0], r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "leaves/s")
}

func BenchmarkLeafDecode(b *testing.B) {
	r := sample()
	r.Data = bytes.Repeat([]byte("x"), 400)
	l, _ := leaf.Encode(r)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := leaf.Decode(l); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "leaves/s")
}

// TestDecoder checks that a Decoder decodes as Decode does, leaf after leaf,
// and that what recurs (the event type, the actor) costs no allocation.
func TestDecoder(t *testing.T) {
	var d leaf.Decoder
	full := sample()
	full.Meta = store.Metadata{Actor: "a", CorrelationID: "b", CausationID: "c", IdempotencyKey: "d"}
	other := sample()
	other.ID, other.Stream, other.Type, other.Meta = "", "", "mobility.agreed", store.Metadata{Actor: "E10208051"}
	for i, r := range []store.Record{sample(), full, other, sample(), other} {
		b, err := leaf.Encode(r)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := leaf.Decode(b)
		got, err := d.Decode(b)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("leaf %d: Decoder gave %+v, %v; Decode %+v", i, got, err, want)
		}
	}
	b, _ := leaf.Encode(sample())
	if n := testing.AllocsPerRun(100, func() { d.Decode(b) }); n > 2 {
		t.Errorf("decoding a leaf seen before allocates %v times; want 2 (the ID with the stream, and the correlation ID)", n)
	}
}

func BenchmarkLeafDecoder(b *testing.B) {
	r := sample()
	r.Data = bytes.Repeat([]byte("x"), 400)
	l, _ := leaf.Encode(r)
	var d leaf.Decoder
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Decode(l); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "leaves/s")
}
