package codec_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/gen"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// allCodec returns a codec for every event type of the ledger.
func allCodec() *codec.Codec {
	return codec.New(&memSealer{keys: map[string]byte{}}, organisation.EventTypes(), participant.EventTypes(),
		mobility.EventTypes(), credential.EventTypes())
}

// stdDecode decodes data as a typ the way DecodeSealed always did, with
// encoding/json alone.
func stdDecode(typ string, data []byte) (domain.Event, error) {
	for _, list := range [][]domain.Event{organisation.EventTypes(), participant.EventTypes(),
		mobility.EventTypes(), credential.EventTypes()} {
		for _, e := range list {
			if e.EventType() == typ {
				v := reflect.New(reflect.TypeOf(e))
				if err := json.Unmarshal(data, v.Interface()); err != nil {
					return nil, err
				}
				return v.Elem().Interface().(domain.Event), nil
			}
		}
	}
	panic("unknown type " + typ)
}

func TestDecodeSealedMatchesEncodingJSONOnGeneratedLog(t *testing.T) {
	c := allCodec()
	appends, err := gen.Encode(context.Background(), c, gen.Events(5_000, 7))
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for i, a := range appends {
		got, err := c.DecodeSealed(record(a.Event))
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		want, err := stdDecode(a.Event.Type, a.Event.Data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("event %d (%s): got %#v, want %#v", i, a.Event.Type, got, want)
		}
		types[a.Event.Type] = true
	}
	if len(types) < 10 {
		t.Errorf("the generated log has only %d event types", len(types))
	}
}

func TestDecodeSealedMatchesEncodingJSONOnEdgeCases(t *testing.T) {
	c := allCodec()
	cases := []struct{ typ, data string }{
		{"mobility.completed", `{"mobility_id":"m1","start_date":"2024-01-02","end_date":"2024-01-09","results":[],"ects":null,"hours":2.5}`},
		{"mobility.completed", `{"mobility_id":"m1","start_date":null,"results":null,"ects":1e2}`},
		{"mobility.completed", `{"mobility_id":"m1","start_date":"2024-13-02"}`},
		{"mobility.completed", `{"mobility_id":"m1","results":[{"outcome_id":"o","result":"achieved"},{"outcome_id":"p"}]}`},
		{"mobility.cancelled", " {\n\t\"mobility_id\" : \"m\\u00e9\\n\", \"reason\":\"caf\u00e9\"} "},
		{"mobility.cancelled", `{"Mobility_ID":"m1","reason":"r"}`},
		{"mobility.cancelled", `{"mobility_id":"m1","reason":"r","extra":{"a":[1,-2.5e3,true,false,null,"x\"y"]}}`},
		{"mobility.cancelled", `{"mobility_id":"m1","mobility_id":"m2"}`},
		{"mobility.cancelled", `{"mobility_id":"m1"} x`},
		{"mobility.cancelled", `{"mobility_id":"m1",}`},
		{"mobility.cancelled", `{"mobility_id":1}`},
		{"mobility.cancelled", `{"mobility_id":"a` + "\x01" + `"}`},
		{"mobility.cancelled", `{"mobility_id":"a","extra":01}`},
		{"mobility.cancelled", `{"mobility_id":"\ud83d\ude00 \xff"}`},
		{"mobility.cancelled", `[]`},
		{"mobility.cancelled", ``},
		{"mobility.agreed", `{"mobility_id":"m","host":{"country":"FR"},"outcomes":[{"id":"o","eqf_level":4}],"start_date":"2024-01-02"}`},
		{"mobility.agreed", `{"outcomes":[{"id":"o","eqf_level":4.5}]}`},
		{"mobility.agreed", `{"outcomes":[{"id":"o","eqf_level":99999999999999999999}]}`},
		{"credential.issued", `{"credential_id":"c","valid_from":"2024-01-02T03:04:05Z","valid_until":null,"revocation_index":-3}`},
		{"credential.issued", `{"credential_id":"c","valid_from":"yesterday"}`},
		{"signingkey.registered", `{"key_id":"k","public_jwk":{"kty":"EC","crv":"P-256","x":"a","y":"b"},"registered_at":"2024-01-02T03:04:05.123+02:00"}`},
		{"participant.enrolled", `{"participant_id":"p","org":"o","role":"r","personal":{"subject":"p","ciphertext":"AAEC"}}`},
	}
	for _, tc := range cases {
		if !c.Known(tc.typ) {
			t.Fatalf("unknown type %s", tc.typ)
		}
		got, gotErr := c.DecodeSealed(store.Record{Type: tc.typ, Schema: codec.SchemaVersion, Data: []byte(tc.data)})
		want, wantErr := stdDecode(tc.typ, []byte(tc.data))
		if (gotErr != nil) != (wantErr != nil) {
			t.Errorf("%s %s: error %v, encoding/json's %v", tc.typ, tc.data, gotErr, wantErr)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s: got %#v, want %#v", tc.typ, tc.data, got, want)
		}
	}
}

// BenchmarkDecodeSealed reports the cost of decoding a generated log's
// events, with the codec and with encoding/json alone.
func BenchmarkDecodeSealed(b *testing.B) {
	c := allCodec()
	appends, err := gen.Encode(context.Background(), c, gen.Events(10_000, 7))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("codec", func(b *testing.B) {
		for b.Loop() {
			for _, a := range appends {
				if _, err := c.DecodeSealed(record(a.Event)); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(appends)), "ns/event")
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			for _, a := range appends {
				if _, err := stdDecode(a.Event.Type, a.Event.Data); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(appends)), "ns/event")
	})
}
