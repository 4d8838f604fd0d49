// Package metajson decodes the metadata column of the events table, which
// both backends write with encoding/json from store.Metadata. Reading the log
// decodes one per event, so the form they write takes a fast path that
// allocates only the strings; anything else goes through encoding/json, so
// that the result is always exactly encoding/json's.
package metajson

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// Decode decodes b, the JSON of a store.Metadata, into m, as json.Unmarshal
// would.
func Decode(b []byte, m *store.Metadata) error {
	var fast store.Metadata
	if decodeFast(b, &fast) {
		*m = fast
		return nil
	}
	return json.Unmarshal(b, m)
}

// decodeFast decodes b if it is an object without white space whose members
// are each known key at most once, with a string value that holds no escape
// and is valid UTF-8: what encoding/json writes for ordinary metadata. It
// reports whether it did; for such input json.Unmarshal gives the same m.
func decodeFast(b []byte, m *store.Metadata) bool {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	rest := b[1 : len(b)-1]
	if len(rest) == 0 {
		return true
	}
	var seen [len(keys)]bool
	for {
		key, value, next, ok := member(rest)
		if !ok {
			return false
		}
		i := field(key)
		if i < 0 || seen[i] {
			return false
		}
		seen[i] = true
		*fields(m)[i] = value
		if len(next) == 0 {
			return true
		}
		if next[0] != ',' {
			return false
		}
		rest = next[1:]
	}
}

// keys are the JSON names of store.Metadata's fields, in the order of fields.
var keys = [...]string{"actor", "correlation_id", "causation_id", "idempotency_key"}

// fields are m's fields in the order of keys.
func fields(m *store.Metadata) [len(keys)]*string {
	return [...]*string{&m.Actor, &m.CorrelationID, &m.CausationID, &m.IdempotencyKey}
}

// field is the position of key in keys, or -1.
func field(key []byte) int {
	for i, k := range keys {
		if string(key) == k {
			return i
		}
	}
	return -1
}

// member reads `"key":"value"` at the start of b and returns what follows.
func member(b []byte) (key []byte, value string, rest []byte, ok bool) {
	key, rest, ok = plain(b)
	if !ok || len(rest) == 0 || rest[0] != ':' {
		return nil, "", nil, false
	}
	v, rest, ok := plain(rest[1:])
	return key, string(v), rest, ok
}

// plain reads a JSON string at the start of b that needs no unescaping:
// no backslash, no control character, valid UTF-8.
func plain(b []byte) (s, rest []byte, ok bool) {
	if len(b) == 0 || b[0] != '"' {
		return nil, nil, false
	}
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return b[1:i], b[i+1:], utf8.Valid(b[1:i])
		case c == '\\' || c < 0x20:
			return nil, nil, false
		}
	}
	return nil, nil, false
}
