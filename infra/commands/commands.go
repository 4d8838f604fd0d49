// Package commands runs domain decisions against the log: it loads a stream,
// folds it, lets the domain decide, and appends the result with optimistic
// concurrency.
package commands

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// Service executes commands. Its clock is the only source of "now" for decisions.
type Service struct {
	log   store.Log
	codec *codec.Codec
	now   func() time.Time
}

// New returns a service appending to log.
func New(log store.Log, c *codec.Codec, now func() time.Time) *Service {
	return &Service{log: log, codec: c, now: now}
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// Codec is the codec the service encodes with.
func (s *Service) Codec() *codec.Codec { return s.codec }

// Log is the event log the service appends to.
func (s *Service) Log() store.Log { return s.log }

// Decision decides on a command given the stream's past events (personal data
// left sealed) and the time.
type Decision func(past []domain.Event, at time.Time) ([]domain.Event, error)

// retries is how often a command without If-Match is decided again after losing
// a race to a concurrent writer of the same stream.
const retries = 3

// Result is what an executed command recorded.
type Result struct {
	Events  []domain.Event // the new events, as decided
	Records []store.Record // the same events as stored
	Version uint64         // the stream's version after them
}

// Execute loads stream, decides and appends. With ifMatch set, the stream must be
// at that version (else Conflict) and the command is not retried; without it, a
// command that lost a race is decided again on the newer state.
func (s *Service) Execute(ctx context.Context, stream string, ifMatch *uint64, meta store.Metadata, decide Decision) (Result, error) {
	for attempt := 0; ; attempt++ {
		res, err := s.try(ctx, stream, ifMatch, meta, decide)
		if err == nil || ifMatch != nil || attempt == retries || !isRace(err) {
			return res, err
		}
	}
}

// raceError marks a conflict found by the log rather than by the domain.
type raceError struct{ error }

func (e raceError) Unwrap() error { return e.error }

func isRace(err error) bool { var r raceError; return errors.As(err, &r) }

func (s *Service) try(ctx context.Context, stream string, ifMatch *uint64, meta store.Metadata, decide Decision) (Result, error) {
	past, version, err := s.load(ctx, stream, false)
	if err != nil {
		return Result{}, err
	}
	if ifMatch != nil && *ifMatch != version {
		return Result{}, domain.Conflictf("stream %s is at version %d, not %d (If-Match)", stream, version, *ifMatch)
	}
	events, err := decide(past, s.now())
	if err != nil {
		return Result{}, err
	}
	batch := make([]store.Event, len(events))
	for i, e := range events {
		if batch[i], err = s.codec.Encode(ctx, NewID("ev"), e, meta); err != nil {
			return Result{}, err
		}
	}
	recs, err := s.log.Append(ctx, stream, version, batch)
	if errors.Is(err, domain.ErrConflict) {
		return Result{}, raceError{err}
	}
	if err != nil {
		return Result{}, err
	}
	return Result{Events: events, Records: recs, Version: recs[len(recs)-1].Version}, nil
}

// Load returns the decoded events of stream, personal data opened, and its version.
func (s *Service) Load(ctx context.Context, stream string) ([]domain.Event, uint64, error) {
	return s.load(ctx, stream, true)
}

func (s *Service) load(ctx context.Context, stream string, open bool) ([]domain.Event, uint64, error) {
	recs, err := s.log.ReadStream(ctx, stream)
	if err != nil {
		return nil, 0, fmt.Errorf("load %s: %w", stream, err)
	}
	events := make([]domain.Event, len(recs))
	for i, r := range recs {
		if open {
			events[i], err = s.codec.Decode(ctx, r)
		} else {
			events[i], err = s.codec.DecodeSealed(r)
		}
		if err != nil {
			return nil, 0, err
		}
	}
	var version uint64
	if len(recs) > 0 {
		version = recs[len(recs)-1].Version
	}
	return events, version, nil
}

// idEncoding is lower-case base32 without padding: URL-safe and easy to read aloud.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns a fresh random identifier with the given prefix, such as
// "mob_5kq3…": 80 random bits, so collisions are never expected.
func NewID(prefix string) string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + "_" + strings.ToLower(idEncoding.EncodeToString(b))
}
