package bus

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// A message's payload is the committed event's data exactly as stored; its
// metadata carries the rest of the record, besides the correlation ID. Every
// consumer group decodes every message, so the data, the bulk of it, is
// never parsed: the metadata is parsed by watermill anyway.
const (
	MetaIndex      = "index"          // the event's log index, in decimal
	MetaType       = "type"           // the event's stored type name
	MetaStream     = "stream"         // the event's stream
	MetaEventID    = "event_id"       // the event's ID
	MetaVersion    = "version"        // the event's version in its stream, in decimal
	MetaSchema     = "schema_version" // the event's schema version, in decimal
	MetaRecordedAt = "recorded_at"    // when the event was recorded, RFC 3339 with nanoseconds
	MetaMeta       = "meta"           // the JSON of the event's store.Metadata
)

// toMessage returns the message announcing rec. Its correlation ID is the
// one of the request that recorded rec, or else the event's ID.
func toMessage(rec store.Record) (*message.Message, error) {
	meta, err := json.Marshal(rec.Meta)
	if err != nil {
		return nil, fmt.Errorf("bus: encode event %d: %w", rec.Index, err)
	}
	msg := message.NewMessage(watermill.NewUUID(), rec.Data)
	msg.Metadata.Set(MetaIndex, strconv.FormatUint(rec.Index, 10))
	msg.Metadata.Set(MetaType, rec.Type)
	msg.Metadata.Set(MetaStream, rec.Stream)
	msg.Metadata.Set(MetaEventID, rec.ID)
	msg.Metadata.Set(MetaVersion, strconv.FormatUint(rec.Version, 10))
	msg.Metadata.Set(MetaSchema, strconv.Itoa(rec.Schema))
	msg.Metadata.Set(MetaRecordedAt, rec.RecordedAt.UTC().Format(time.RFC3339Nano))
	msg.Metadata.Set(MetaMeta, string(meta))
	correlation := rec.Meta.CorrelationID
	if correlation == "" {
		correlation = rec.ID
	}
	middleware.SetCorrelationID(correlation, msg)
	return msg, nil
}

// Record returns the committed event msg carries. It also reads messages
// published before the record moved into the metadata, whose payload was
// the JSON of the whole record.
func Record(msg *message.Message) (store.Record, error) {
	if _, ok := msg.Metadata[MetaVersion]; !ok {
		return recordOfEnvelope(msg)
	}
	md := msg.Metadata
	rec := store.Record{ID: md.Get(MetaEventID), Stream: md.Get(MetaStream), Type: md.Get(MetaType), Data: msg.Payload}
	var errs [5]error
	rec.Index, errs[0] = strconv.ParseUint(md.Get(MetaIndex), 10, 64)
	rec.Version, errs[1] = strconv.ParseUint(md.Get(MetaVersion), 10, 64)
	rec.Schema, errs[2] = strconv.Atoi(md.Get(MetaSchema))
	rec.RecordedAt, errs[3] = time.Parse(time.RFC3339Nano, md.Get(MetaRecordedAt))
	errs[4] = json.Unmarshal([]byte(md.Get(MetaMeta)), &rec.Meta)
	for _, err := range errs {
		if err != nil {
			return store.Record{}, fmt.Errorf("bus: message %s: metadata: %w", msg.UUID, err)
		}
	}
	return rec, nil
}

// envelope is the payload of a message published before the record moved
// into the metadata: the committed event as JSON.
type envelope struct {
	Index      uint64          `json:"index"`
	ID         string          `json:"id"`
	Stream     string          `json:"stream"`
	Version    uint64          `json:"version"`
	Type       string          `json:"type"`
	Schema     int             `json:"schema_version"`
	RecordedAt time.Time       `json:"recorded_at"`
	Meta       store.Metadata  `json:"meta"`
	Data       json.RawMessage `json:"data"`
}

// recordOfEnvelope returns the record of a message whose payload is an
// envelope.
func recordOfEnvelope(msg *message.Message) (store.Record, error) {
	var w envelope
	if err := json.Unmarshal(msg.Payload, &w); err != nil {
		return store.Record{}, fmt.Errorf("bus: message %s: %w", msg.UUID, err)
	}
	if idx := msg.Metadata.Get(MetaIndex); idx != strconv.FormatUint(w.Index, 10) {
		return store.Record{}, fmt.Errorf("bus: message %s: metadata index %q disagrees with payload index %d", msg.UUID, idx, w.Index)
	}
	return store.Record{Index: w.Index, ID: w.ID, Stream: w.Stream, Version: w.Version, Type: w.Type, Schema: w.Schema,
		Data: []byte(w.Data), Meta: w.Meta, RecordedAt: w.RecordedAt}, nil
}
