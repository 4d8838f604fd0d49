package groupcommit

import (
	"errors"
	"math"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
)

func TestValidate(t *testing.T) {
	good := store.Event{ID: "e1", Type: "t.happened", Schema: 1, Data: []byte(`{}`)}
	with := func(f func(*store.Event)) []store.Event {
		e := good
		f(&e)
		return []store.Event{e}
	}
	tests := []struct {
		name     string
		stream   string
		expected uint64
		events   []store.Event
		ok       bool
	}{
		{"valid", "s", 0, []store.Event{good}, true},
		{"valid at a high version", "s", math.MaxInt64 - 1, []store.Event{good}, true},
		{"no events", "s", 0, nil, false},
		{"empty stream", "", 0, []store.Event{good}, false},
		{"stream with NUL", "s\x00", 0, []store.Event{good}, false},
		{"stream not UTF-8", "s\xff", 0, []store.Event{good}, false},
		{"empty ID", "s", 0, with(func(e *store.Event) { e.ID = "" }), false},
		{"empty type", "s", 0, with(func(e *store.Event) { e.Type = "" }), false},
		{"schema 0", "s", 0, with(func(e *store.Event) { e.Schema = 0 }), false},
		{"metadata not UTF-8", "s", 0, with(func(e *store.Event) { e.Meta.Actor = "\xff" }), false},
		{"binary payload", "s", 0, with(func(e *store.Event) { e.Data = []byte{0, 0xff} }), true},
		{"version overflow", "s", math.MaxInt64, []store.Event{good}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.stream, tc.expected, tc.events)
			if tc.ok && err != nil {
				t.Errorf("Validate = %v, want nil", err)
			}
			if !tc.ok && !errors.Is(err, domain.ErrInvalid) {
				t.Errorf("Validate = %v, want an error wrapping %v", err, domain.ErrInvalid)
			}
		})
	}
}
