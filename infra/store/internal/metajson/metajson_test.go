package metajson

import (
	"encoding/json"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// samples are metadata columns: what the backends write, and what they
// never write but a database edited by hand might hold.
var samples = []string{
	`{}`,
	`{"actor":"E10208051"}`,
	`{"actor":"issuer:E10208051","correlation_id":"c-1","causation_id":"k-0","idempotency_key":"idem-1"}`,
	`{"idempotency_key":"k","actor":"a"}`,
	`{"actor":"Zo\u00e9 \u003cadmin\u003e"}`,
	`{"actor":"Zoé"}`,
	`{"actor":""}`,
	`{"actor":"a","actor":"b"}`,
	`{"Actor":"a"}`,
	`{"actor":"a","other":"x"}`,
	`{ "actor" : "a" }`,
	`{"actor":1}`,
	`{"actor":"a",}`,
	`{"actor":"a"}}`,
	`{"actor":"\xff"}`,
	`null`,
	``,
	`{"actor":"a\tb"}`,
}

// TestDecodeIsJSONUnmarshal checks that Decode gives exactly what
// json.Unmarshal gives, success or failure.
func TestDecodeIsJSONUnmarshal(t *testing.T) {
	for _, s := range samples {
		same(t, []byte(s))
	}
}

// TestFastPathTaken checks that what the backends write takes the fast path.
func TestFastPathTaken(t *testing.T) {
	for _, m := range []store.Metadata{{}, {Actor: "E10208051"}, {Actor: "admin-1", CorrelationID: "req_01", CausationID: "c", IdempotencyKey: "k-1"}} {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var got store.Metadata
		if !decodeFast(b, &got) || got != m {
			t.Errorf("%s: fast path %v, decoded %+v", b, decodeFast(b, &got), got)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range samples {
		f.Add([]byte(s))
	}
	f.Fuzz(same)
}

// same fails t unless Decode and json.Unmarshal agree on b.
func same(t *testing.T, b []byte) {
	var got, want store.Metadata
	errGot, errWant := Decode(b, &got), json.Unmarshal(b, &want)
	if (errGot == nil) != (errWant == nil) || (errWant == nil && got != want) {
		t.Errorf("%q: Decode gives %+v, %v; json.Unmarshal %+v, %v", b, got, errGot, want, errWant)
	}
}

func BenchmarkDecode(b *testing.B) {
	meta := []byte(`{"actor":"issuer:E10208051","correlation_id":"req_01JEV0000000000000000001"}`)
	for b.Loop() {
		var m store.Metadata
		if err := Decode(meta, &m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshal(b *testing.B) {
	meta := []byte(`{"actor":"issuer:E10208051","correlation_id":"req_01JEV0000000000000000001"}`)
	for b.Loop() {
		var m store.Metadata
		if err := json.Unmarshal(meta, &m); err != nil {
			b.Fatal(err)
		}
	}
}
