// Package store defines the event log: one append-only log for all streams with
// a gapless global index in commit order. Backends (sqlitestore, pgstore) meet
// the same contract, checked by one conformance suite (storetest).
package store

import (
	"bytes"
	"context"
	"database/sql"
	"time"
)

// Metadata travels with every event. It is stored beside the payload, not in it.
type Metadata struct {
	Actor          string `json:"actor,omitempty"`
	CorrelationID  string `json:"correlation_id,omitempty"`
	CausationID    string `json:"causation_id,omitempty"`
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// Event is an event to append: its stable ID, its stored type name and schema
// version, and its JSON payload exactly as it will be stored.
type Event struct {
	ID     string
	Type   string
	Schema int
	Data   []byte
	Meta   Metadata
}

// Record is an event as stored in the log.
//
// Index is the event's position in the whole log, starting at 0, gapless and in
// commit order. Version is its position in its stream, starting at 1.
// RecordedAt has microsecond precision, and never decreases along the index.
type Record struct {
	Index      uint64
	ID         string
	Stream     string
	Version    uint64
	Type       string
	Schema     int
	Data       []byte
	Meta       Metadata
	RecordedAt time.Time
}

// Clone returns a copy of r that shares no memory with it.
func (r *Record) Clone() Record {
	c := *r
	c.Data = bytes.Clone(r.Data)
	return c
}

// AppendTo returns a ScanLog callback that appends a copy of each record to
// recs.
func AppendTo(recs *[]Record) func(*Record) error {
	return func(r *Record) error {
		*recs = append(*recs, r.Clone())
		return nil
	}
}

// Log is the event log's port.
type Log interface {
	// Append adds events to the end of stream, which must currently be at
	// version expected (0 for a stream that does not exist yet). A stale
	// expected version fails with an error wrapping domain.ErrConflict, decided
	// by the (stream, version) unique constraint. The events get consecutive
	// versions and log indexes; Append returns them as stored.
	Append(ctx context.Context, stream string, expected uint64, events []Event) ([]Record, error)
	// ReadStream returns the events of one stream in version order; none if the
	// stream does not exist.
	ReadStream(ctx context.Context, stream string) ([]Record, error)
	// ReadLog returns at most limit events of the whole log from index from on,
	// in index order. Every index below the returned ones was committed before
	// them, so a reader resuming after the last returned index never skips one.
	ReadLog(ctx context.Context, from uint64, limit int) ([]Record, error)
	// Size is the number of events in the log, i.e. the next index.
	Size(ctx context.Context) (uint64, error)
}

// Dialect names the SQL flavour behind a Backend's DB.
type Dialect string

// The dialects. SQL shared by both uses $1-style placeholders, which SQLite
// accepts too.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Backend is an opened database: the log, and the same database as *sql.DB for
// the tables around the log (keys, idempotency records, read models, tree hashes).
type Backend interface {
	Log
	DB() *sql.DB
	Dialect() Dialect
	// ScanLog calls fn with each of at most limit events of the log from
	// index from on, in index order, as ReadLog would return them, with one
	// query and no record kept: rec and the memory its Data points to are
	// valid only during the call and reused for the next one, so fn must
	// copy what it keeps (Clone). ScanLog stops at fn's first error and
	// returns it wrapped. It is the cheap way to pass the log on, as the
	// entries endpoint does.
	ScanLog(ctx context.Context, from uint64, limit int, fn func(rec *Record) error) error
	// Watch returns a channel that receives a value (never blocking the writer;
	// several commits may coalesce into one value) after each commit of new
	// events by this process, and a func that stops the watch. Watchers read the
	// log to learn what was appended.
	Watch() (<-chan struct{}, func())
	Close() error
}
