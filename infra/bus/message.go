package bus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// The metadata every message carries besides the correlation ID.
const (
	MetaIndex   = "index"    // the event's log index, in decimal
	MetaType    = "type"     // the event's stored type name
	MetaStream  = "stream"   // the event's stream
	MetaEventID = "event_id" // the event's ID
)

// header is the committed event without its data, as JSON.
type header struct {
	Index      uint64         `json:"index"`
	ID         string         `json:"id"`
	Stream     string         `json:"stream"`
	Version    uint64         `json:"version"`
	Type       string         `json:"type"`
	Schema     int            `json:"schema_version"`
	RecordedAt time.Time      `json:"recorded_at"`
	Meta       store.Metadata `json:"meta"`
}

// envelope is the whole committed event as JSON: the payload of messages
// published before the data moved out of the JSON.
type envelope struct {
	header
	Data json.RawMessage `json:"data"`
}

// A message's payload is the header's JSON, a newline (which JSON never
// holds outside strings, where it is escaped), then the event's data
// exactly as stored. Every consumer group decodes every message, so the
// data, the bulk of it, is never parsed, only the small header.

// toMessage returns the message announcing rec. Its correlation ID is the
// one of the request that recorded rec, or else the event's ID.
func toMessage(rec store.Record) (*message.Message, error) {
	head, err := json.Marshal(header{Index: rec.Index, ID: rec.ID, Stream: rec.Stream, Version: rec.Version, Type: rec.Type,
		Schema: rec.Schema, RecordedAt: rec.RecordedAt.UTC(), Meta: rec.Meta})
	if err != nil {
		return nil, fmt.Errorf("bus: encode event %d: %w", rec.Index, err)
	}
	payload := append(append(head, '\n'), rec.Data...)
	msg := message.NewMessage(watermill.NewUUID(), payload)
	msg.Metadata.Set(MetaIndex, strconv.FormatUint(rec.Index, 10))
	msg.Metadata.Set(MetaType, rec.Type)
	msg.Metadata.Set(MetaStream, rec.Stream)
	msg.Metadata.Set(MetaEventID, rec.ID)
	correlation := rec.Meta.CorrelationID
	if correlation == "" {
		correlation = rec.ID
	}
	middleware.SetCorrelationID(correlation, msg)
	return msg, nil
}

// Index returns the log index of the event msg announces, from its metadata.
func Index(msg *message.Message) (uint64, error) {
	index, err := strconv.ParseUint(msg.Metadata.Get(MetaIndex), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bus: message %s: index: %w", msg.UUID, err)
	}
	return index, nil
}

// Record returns the committed event msg carries. It also reads the
// messages of earlier versions, whose payload was an envelope.
func Record(msg *message.Message) (store.Record, error) {
	var (
		h    header
		data []byte
		err  error
	)
	if head, rest, ok := bytes.Cut(msg.Payload, []byte{'\n'}); ok {
		err = json.Unmarshal(head, &h)
		data = rest
	} else {
		var e envelope
		err = json.Unmarshal(msg.Payload, &e)
		h, data = e.header, e.Data
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("bus: message %s: %w", msg.UUID, err)
	}
	if idx := msg.Metadata.Get(MetaIndex); idx != strconv.FormatUint(h.Index, 10) {
		return store.Record{}, fmt.Errorf("bus: message %s: metadata index %q disagrees with payload index %d", msg.UUID, idx, h.Index)
	}
	return store.Record{Index: h.Index, ID: h.ID, Stream: h.Stream, Version: h.Version, Type: h.Type, Schema: h.Schema,
		Data: data, Meta: h.Meta, RecordedAt: h.RecordedAt}, nil
}
