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

// The metadata every message carries besides the correlation ID.
const (
	MetaIndex   = "index"    // the event's log index, in decimal
	MetaType    = "type"     // the event's stored type name
	MetaStream  = "stream"   // the event's stream
	MetaEventID = "event_id" // the event's ID
)

// wire is the payload of a message: the committed event exactly as stored.
type wire struct {
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

// toMessage returns the message announcing rec. Its correlation ID is the
// one of the request that recorded rec, or else the event's ID.
func toMessage(rec store.Record) (*message.Message, error) {
	payload, err := json.Marshal(wire{Index: rec.Index, ID: rec.ID, Stream: rec.Stream, Version: rec.Version, Type: rec.Type,
		Schema: rec.Schema, RecordedAt: rec.RecordedAt.UTC(), Meta: rec.Meta, Data: rec.Data})
	if err != nil {
		return nil, fmt.Errorf("bus: encode event %d: %w", rec.Index, err)
	}
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

// Record returns the committed event msg carries.
func Record(msg *message.Message) (store.Record, error) {
	var w wire
	if err := json.Unmarshal(msg.Payload, &w); err != nil {
		return store.Record{}, fmt.Errorf("bus: message %s: %w", msg.UUID, err)
	}
	if idx := msg.Metadata.Get(MetaIndex); idx != strconv.FormatUint(w.Index, 10) {
		return store.Record{}, fmt.Errorf("bus: message %s: metadata index %q disagrees with payload index %d", msg.UUID, idx, w.Index)
	}
	return store.Record{Index: w.Index, ID: w.ID, Stream: w.Stream, Version: w.Version, Type: w.Type, Schema: w.Schema,
		Data: []byte(w.Data), Meta: w.Meta, RecordedAt: w.RecordedAt}, nil
}
