package codec_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// memSealer is an in-memory sealer: "encryption" by XOR with a per-subject key
// byte, enough to check that the codec never stores the plaintext.
type memSealer struct{ keys map[string]byte }

func (m *memSealer) Seal(_ context.Context, subject string, p []byte) ([]byte, error) {
	if _, ok := m.keys[subject]; !ok {
		m.keys[subject] = byte(len(m.keys) + 0x5a)
	}
	return xor(p, m.keys[subject]), nil
}

func (m *memSealer) Open(_ context.Context, subject string, c []byte) ([]byte, bool, error) {
	k, ok := m.keys[subject]
	if !ok {
		return nil, true, nil
	}
	return xor(c, k), false, nil
}

func xor(b []byte, k byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[i] = b[i] ^ k
	}
	return out
}

func enrolled() participant.Enrolled {
	return participant.Enrolled{ParticipantID: "par_1", Org: "E10208051", Role: participant.RoleECECCore,
		PersonalData: domain.PersonalData{GivenName: "Zofia", FamilyName: "Quellenberg", Email: "z@example.org", BirthDate: "1987-03-09"}}
}

func record(e store.Event) store.Record {
	return store.Record{ID: e.ID, Type: e.Type, Schema: e.Schema, Data: e.Data, Meta: e.Meta}
}

func TestPersonalDataIsSealedAndOpened(t *testing.T) {
	s := &memSealer{keys: map[string]byte{}}
	c := codec.New(s, participant.EventTypes())
	ev, err := c.Encode(context.Background(), "ev_1", enrolled(), store.Metadata{Actor: "issuer-1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{"Zofia", "Quellenberg", "z@example.org", "1987-03-09"} {
		if bytes.Contains(ev.Data, []byte(clear)) {
			t.Fatalf("stored payload holds %q in clear: %s", clear, ev.Data)
		}
	}
	got, err := c.Decode(context.Background(), record(ev))
	if err != nil {
		t.Fatal(err)
	}
	if got.(participant.Enrolled) != enrolled() {
		t.Fatalf("round trip: got %+v", got)
	}
	sealed, err := c.DecodeSealed(record(ev))
	if err != nil {
		t.Fatal(err)
	}
	if p := sealed.(participant.Enrolled).PersonalData; p != (domain.PersonalData{}) {
		t.Fatalf("DecodeSealed opened personal data: %+v", p)
	}
	delete(s.keys, "par_1")
	erased, err := c.Decode(context.Background(), record(ev))
	if err != nil {
		t.Fatal(err)
	}
	if p := erased.(participant.Enrolled).PersonalData; !p.Erased || p.GivenName != "" {
		t.Fatalf("after key destruction: %+v", p)
	}
}

func TestEventsWithoutPersonalDataRoundTrip(t *testing.T) {
	c := codec.New(&memSealer{keys: map[string]byte{}}, mobility.EventTypes())
	want := mobility.Cancelled{MobilityID: "mob_1", Reason: "host closed"}
	ev, err := c.Encode(context.Background(), "ev_2", want, store.Metadata{})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != "mobility.cancelled" || ev.Schema != codec.SchemaVersion {
		t.Fatalf("stored as %s v%d", ev.Type, ev.Schema)
	}
	got, err := c.Decode(context.Background(), record(ev))
	if err != nil || got != want {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
}

func TestUnknownTypesAndSchemasAreRefused(t *testing.T) {
	c := codec.New(&memSealer{keys: map[string]byte{}}, mobility.EventTypes())
	if _, err := c.Encode(context.Background(), "ev", participant.Erased{ParticipantID: "p"}, store.Metadata{}); err == nil {
		t.Fatal("encoded an event type the codec was not given")
	}
	for _, r := range []store.Record{
		{Type: "mobility.teleported", Schema: 1, Data: []byte(`{}`)},
		{Type: "mobility.cancelled", Schema: 2, Data: []byte(`{}`)},
		{Type: "mobility.cancelled", Schema: 1, Data: []byte(`{"reason":`)},
	} {
		if _, err := c.DecodeSealed(r); err == nil || errors.Is(err, domain.ErrInvalid) {
			t.Errorf("decoded %s v%d %s: err %v", r.Type, r.Schema, r.Data, err)
		}
	}
}
