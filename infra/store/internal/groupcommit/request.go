// Package groupcommit queues the event log's appends and hands them to one
// committer goroutine that commits everything queued at once in a single
// transaction. A lone writer is served at once (no timer); concurrent writers
// share a commit. Both backends use it; each supplies the commit itself.
package groupcommit

import (
	"context"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// Request is one Append waiting for its commit. A CommitFunc answers it with
// exactly one call to Succeed or Fail.
type Request struct {
	Stream   string
	Expected uint64
	Events   []store.Event

	records  []store.Record
	err      error
	ctx      context.Context
	enqueued time.Time
	done     chan struct{}
}

// Succeed answers the request with the records as stored.
func (r *Request) Succeed(records []store.Record) { r.records, r.err = records, nil }

// Fail answers the request with err.
func (r *Request) Fail(err error) { r.records, r.err = nil, err }

// Err is the answer's error, nil after Succeed.
func (r *Request) Err() error { return r.err }

// Result is the answer: the records as stored, or the error.
func (r *Request) Result() ([]store.Record, error) { return r.records, r.err }

// Stored builds the records the request's events become when they are stored
// from log index first on at time at. Versions follow Expected.
func (r *Request) Stored(first uint64, at time.Time) []store.Record {
	recs := make([]store.Record, len(r.Events))
	for i, e := range r.Events {
		recs[i] = store.Record{
			Index: first + uint64(i), ID: e.ID, Stream: r.Stream, Version: r.Expected + 1 + uint64(i),
			Type: e.Type, Schema: e.Schema, Data: e.Data, Meta: e.Meta, RecordedAt: at,
		}
	}
	return recs
}

// Validate rejects an append that no backend could store faithfully: no
// events, empty names, text that is not valid UTF-8 or holds NUL bytes (which
// PostgreSQL text cannot hold), and versions beyond a signed 64-bit integer.
func Validate(stream string, expected uint64, events []store.Event) error {
	if len(events) == 0 {
		return domain.Invalidf("nothing to append to stream %q", stream)
	}
	if expected > math.MaxInt64-uint64(len(events)) {
		return domain.Invalidf("version %d of stream %q is out of range", expected, stream)
	}
	if err := checkText("stream name", stream); err != nil {
		return err
	}
	for _, e := range events {
		if err := validateEvent(e); err != nil {
			return err
		}
	}
	return nil
}

// validateEvent checks one event's names and metadata.
func validateEvent(e store.Event) error {
	for _, f := range []struct{ what, s string }{
		{"event ID", e.ID}, {"event type", e.Type},
	} {
		if err := checkText(f.what, f.s); err != nil {
			return err
		}
	}
	if e.Schema < 1 || e.Schema > math.MaxInt32 {
		return domain.Invalidf("event %q has schema version %d; it must be at least 1", e.ID, e.Schema)
	}
	for _, s := range []string{e.Meta.Actor, e.Meta.CorrelationID, e.Meta.CausationID, e.Meta.IdempotencyKey} {
		if !utf8.ValidString(s) {
			return domain.Invalidf("metadata of event %q is not valid UTF-8", e.ID)
		}
	}
	return nil
}

// checkText requires s to be non-empty UTF-8 text without NUL bytes.
func checkText(what, s string) error {
	switch {
	case s == "":
		return domain.Invalidf("%s is empty", what)
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return domain.Invalidf("%s %q is not valid UTF-8 text", what, s)
	}
	return nil
}
