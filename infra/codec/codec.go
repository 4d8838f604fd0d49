// Package codec turns domain events into stored log events and back. Stored
// payloads are the events' JSON; personal data is never in it in clear but sealed
// under the participant's key and kept in a "personal" member.
package codec

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// SchemaVersion is the schema version of every event type today. A change to a
// shipped event's meaning gets a new type or version and an upcaster here.
const SchemaVersion = 1

// Sealer seals and opens personal data under a subject's key; pii.Keyring is one.
type Sealer interface {
	Seal(ctx context.Context, subject string, plaintext []byte) ([]byte, error)
	Open(ctx context.Context, subject string, sealed []byte) (plaintext []byte, erased bool, err error)
}

// Codec encodes and decodes the event types it was given.
type Codec struct {
	types  map[string]reflect.Type
	plans  map[string]*plan // nil for a type encoding/json alone decodes
	sealer Sealer
}

// New returns a codec for the given event types (zero values, as each domain
// package's EventTypes returns them), sealing personal data with sealer.
func New(sealer Sealer, eventTypes ...[]domain.Event) *Codec {
	c := &Codec{types: map[string]reflect.Type{}, plans: map[string]*plan{}, sealer: sealer}
	for _, list := range eventTypes {
		for _, e := range list {
			t := reflect.TypeOf(e)
			c.types[e.EventType()] = t
			c.plans[e.EventType()] = newPlan(t)
		}
	}
	return c
}

// sealed is the stored form of personal data.
type sealed struct {
	Subject    string `json:"subject"`
	Ciphertext []byte `json:"ciphertext"`
}

// Encode returns e's stored form with the given ID and metadata.
func (c *Codec) Encode(ctx context.Context, id string, e domain.Event, meta store.Metadata) (store.Event, error) {
	if _, ok := c.types[e.EventType()]; !ok {
		return store.Event{}, fmt.Errorf("encode: unknown event type %q", e.EventType())
	}
	data, err := json.Marshal(e)
	if err != nil {
		return store.Event{}, fmt.Errorf("encode %s: %w", e.EventType(), err)
	}
	if p, ok := e.(domain.Personal); ok {
		if data, err = c.seal(ctx, p, data); err != nil {
			return store.Event{}, err
		}
	}
	return store.Event{ID: id, Type: e.EventType(), Schema: SchemaVersion, Data: data, Meta: meta}, nil
}

// seal appends the sealed personal data to the JSON object data.
func (c *Codec) seal(ctx context.Context, p domain.Personal, data []byte) ([]byte, error) {
	plain, err := json.Marshal(p.Personal())
	if err != nil {
		return nil, err
	}
	ct, err := c.sealer.Seal(ctx, p.PersonalSubject(), plain)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", p.EventType(), err)
	}
	member, err := json.Marshal(sealed{Subject: p.PersonalSubject(), Ciphertext: ct})
	if err != nil {
		return nil, err
	}
	out := bytes.TrimSuffix(bytes.TrimSpace(data), []byte("}"))
	if len(out) > 1 {
		out = append(out, ',')
	}
	out = append(out, `"personal":`...)
	out = append(out, member...)
	return append(out, '}'), nil
}

// Decode returns the domain event stored in r, with its personal data opened
// (or marked erased when the participant's key was destroyed).
func (c *Codec) Decode(ctx context.Context, r store.Record) (domain.Event, error) {
	e, err := c.DecodeSealed(r)
	if err != nil {
		return nil, err
	}
	p, ok := e.(domain.Personal)
	if !ok {
		return e, nil
	}
	var env struct {
		Personal *sealed `json:"personal"`
	}
	if err := json.Unmarshal(r.Data, &env); err != nil || env.Personal == nil {
		return nil, fmt.Errorf("decode %s at %d: personal data missing", r.Type, r.Index)
	}
	plain, erased, err := c.sealer.Open(ctx, env.Personal.Subject, env.Personal.Ciphertext)
	if err != nil {
		return nil, fmt.Errorf("decode %s at %d: %w", r.Type, r.Index, err)
	}
	if erased {
		return p.WithPersonal(domain.PersonalData{Erased: true}), nil
	}
	var pd domain.PersonalData
	if err := json.Unmarshal(plain, &pd); err != nil {
		return nil, fmt.Errorf("decode %s at %d: personal data: %w", r.Type, r.Index, err)
	}
	return p.WithPersonal(pd), nil
}

// DecodeSealed returns the domain event stored in r without opening its personal
// data, which stays empty. Projections use it: read models hold no personal data.
func (c *Codec) DecodeSealed(r store.Record) (domain.Event, error) {
	t, ok := c.types[r.Type]
	if !ok {
		return nil, fmt.Errorf("decode event %d: unknown type %q", r.Index, r.Type)
	}
	if r.Schema != SchemaVersion {
		return nil, fmt.Errorf("decode event %d: %s has unknown schema version %d", r.Index, r.Type, r.Schema)
	}
	// The fast path decodes the events the codec knows in one pass; for
	// anything it does not cover, encoding/json decodes afresh.
	if p := c.plans[r.Type]; p != nil {
		v := reflect.New(t).Elem()
		if p.decode(r.Data, v) {
			return v.Interface().(domain.Event), nil
		}
	}
	v := reflect.New(t)
	if err := json.Unmarshal(r.Data, v.Interface()); err != nil {
		return nil, fmt.Errorf("decode %s at %d: %w", r.Type, r.Index, err)
	}
	return v.Elem().Interface().(domain.Event), nil
}

// Known reports whether the codec knows event type name.
func (c *Codec) Known(name string) bool { _, ok := c.types[name]; return ok }
