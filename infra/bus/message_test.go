package bus

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// completion is a record as the log holds a mobility's completion.
func completion() store.Record {
	var outcomes []string
	for i := range 6 {
		outcomes = append(outcomes, `{"outcome_id":"out_`+strconv.Itoa(i)+`aaaaaaaaaaaaaaaa","result":"achieved","evidence":"mentor's observation record"}`)
	}
	data := `{"start_date":"2026-03-02","end_date":"2026-03-13","results":[` + strings.Join(outcomes, ",") + `],"ects":2,"hours":60,"by":"issuer-1"}`
	return store.Record{Index: 123456, ID: "ev_abcdefghijklmnop", Stream: "mobility-mob_qrstuvwxyz234567", Version: 2,
		Type: "mobility.completed", Schema: 1, Data: []byte(data),
		Meta:       store.Metadata{Actor: "issuer-1", CorrelationID: "req-42", IdempotencyKey: "k-1"},
		RecordedAt: time.Date(2026, 11, 30, 1, 2, 3, 456789000, time.UTC)}
}

// legacy is the message that announced rec before the record moved into the
// metadata.
func legacy(t testing.TB, rec store.Record) *message.Message {
	payload, err := json.Marshal(envelope{header{Index: rec.Index, ID: rec.ID, Stream: rec.Stream, Version: rec.Version, Type: rec.Type,
		Schema: rec.Schema, RecordedAt: rec.RecordedAt, Meta: rec.Meta}, rec.Data})
	if err != nil {
		t.Fatal(err)
	}
	msg := message.NewMessage("legacy", payload)
	msg.Metadata.Set(MetaIndex, strconv.FormatUint(rec.Index, 10))
	msg.Metadata.Set(MetaType, rec.Type)
	msg.Metadata.Set(MetaStream, rec.Stream)
	msg.Metadata.Set(MetaEventID, rec.ID)
	middleware.SetCorrelationID(rec.Meta.CorrelationID, msg)
	return msg
}

func TestMessageCarriesTheRecord(t *testing.T) {
	bare := completion()
	bare.Meta = store.Metadata{}
	for name, rec := range map[string]store.Record{"with metadata": completion(), "without metadata": bare} {
		msg, err := toMessage(rec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Record(msg)
		if err != nil || !reflect.DeepEqual(got, rec) {
			t.Errorf("%s: Record = %+v, %v; want %+v", name, got, err, rec)
		}
		if got, err := Record(legacy(t, rec)); err != nil || !reflect.DeepEqual(got, rec) {
			t.Errorf("%s, published before: Record = %+v, %v; want %+v", name, got, err, rec)
		}
	}
}

func TestMessageTellsItsIndex(t *testing.T) {
	msg, err := toMessage(completion())
	if err != nil {
		t.Fatal(err)
	}
	for name, msg := range map[string]*message.Message{"current": msg, "published before": legacy(t, completion())} {
		if got, err := Index(msg); err != nil || got != completion().Index {
			t.Errorf("%s: Index = %d, %v; want %d", name, got, err, completion().Index)
		}
	}
	for _, bad := range []string{"", "-1", "12a", "18446744073709551616"} {
		msg.Metadata.Set(MetaIndex, bad)
		if got, err := Index(msg); err == nil {
			t.Errorf("index metadata %q read as %d", bad, got)
		}
	}
}

func TestMessageThatDisagreesWithItsMetadataIsRefused(t *testing.T) {
	msg, err := toMessage(completion())
	if err != nil {
		t.Fatal(err)
	}
	for name, msg := range map[string]*message.Message{"current": msg, "published before": legacy(t, completion())} {
		msg.Metadata.Set(MetaIndex, "7")
		if _, err := Record(msg); err == nil {
			t.Errorf("%s: a message whose index disagrees with the metadata was read", name)
		}
	}
}

// BenchmarkRecord reads a message as each consumer group does, in both
// forms: its metadata from the JSON watermill-sql stores, then the record.
func BenchmarkRecord(b *testing.B) {
	msg, err := toMessage(completion())
	if err != nil {
		b.Fatal(err)
	}
	for name, msg := range map[string]*message.Message{"header": msg, "envelope": legacy(b, completion())} {
		stored, err := json.Marshal(msg.Metadata)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				read := message.NewMessage(msg.UUID, msg.Payload)
				if err := json.Unmarshal(stored, &read.Metadata); err != nil {
					b.Fatal(err)
				}
				if _, err := Record(read); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
