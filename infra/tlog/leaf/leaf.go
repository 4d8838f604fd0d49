// Package leaf defines the bytes that stand for one log entry in the ledger's
// Merkle tree. The encoding is fixed forever: changing it would change every
// leaf hash and break every checkpoint ever signed. LEAF.md beside this package
// describes it for auditors who write their own tools.
//
// A leaf (format version 1) is, with every integer big-endian and every
// "bytes" field a uint32 length followed by that many bytes:
//
//	u8     format version, 0x01
//	u64    log index
//	bytes  event ID
//	bytes  stream
//	u64    version of the event in its stream
//	bytes  event type
//	u32    schema version of the payload
//	i64    recorded time, microseconds since 1970-01-01T00:00:00Z (two's complement)
//	u32    number of metadata pairs, then each pair as bytes key, bytes value
//	bytes  payload, exactly as stored (ciphertext stays ciphertext)
//
// Metadata pairs carry the non-empty fields of store.Metadata under their JSON
// names ("actor", "causation_id", "correlation_id", "idempotency_key"), in
// strictly ascending byte order of the key. An empty field has no pair. So each
// record has exactly one leaf, and Decode accepts only that one.
package leaf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// Version is the format version written as the first byte of every leaf.
const Version = 1

// ErrMalformed is wrapped by every error Decode returns.
var ErrMalformed = errors.New("malformed leaf")

// metaKeys are the metadata keys in the order they are written, which is
// ascending byte order; metaValues and setMeta follow the same order.
var metaKeys = [...]string{"actor", "causation_id", "correlation_id", "idempotency_key"}

// metaValues lists m's fields in the order of metaKeys.
func metaValues(m *store.Metadata) [len(metaKeys)]string {
	return [...]string{m.Actor, m.CausationID, m.CorrelationID, m.IdempotencyKey}
}

// setMeta sets the field of m named by metaKeys[i].
func setMeta(m *store.Metadata, i int, v string) {
	*[...]*string{&m.Actor, &m.CausationID, &m.CorrelationID, &m.IdempotencyKey}[i] = v
}

// Encode returns the leaf of r.
func Encode(r store.Record) ([]byte, error) {
	return Append(make([]byte, 0, Size(r)), r)
}

// Size is the length of r's leaf in bytes.
func Size(r store.Record) int {
	n := 1 + 8 + 4 + len(r.ID) + 4 + len(r.Stream) + 8 + 4 + len(r.Type) + 4 + 8 + 4 + 4 + len(r.Data)
	for i, v := range metaValues(&r.Meta) {
		if v != "" {
			n += 4 + len(metaKeys[i]) + 4 + len(v)
		}
	}
	return n
}

// Append appends the leaf of r to dst. It fails only for a record no store
// can hold: a schema version outside 0..2³²-1 or a field of 4 GiB or more.
func Append(dst []byte, r store.Record) ([]byte, error) {
	meta := metaValues(&r.Meta)
	if r.Schema < 0 || int64(r.Schema) > math.MaxUint32 {
		return nil, fmt.Errorf("leaf of entry %d: schema version %d is out of range", r.Index, r.Schema)
	}
	if tooLong(&r, &meta) {
		return nil, fmt.Errorf("leaf of entry %d: a field is 4 GiB or longer", r.Index)
	}
	dst = append(dst, Version)
	dst = binary.BigEndian.AppendUint64(dst, r.Index)
	dst = appendBytes(dst, r.ID)
	dst = appendBytes(dst, r.Stream)
	dst = binary.BigEndian.AppendUint64(dst, r.Version)
	dst = appendBytes(dst, r.Type)
	dst = binary.BigEndian.AppendUint32(dst, uint32(r.Schema))
	dst = binary.BigEndian.AppendUint64(dst, uint64(r.RecordedAt.UnixMicro()))
	dst = appendMeta(dst, &meta)
	return appendBytes(dst, r.Data), nil
}

// appendMeta appends the count of non-empty metadata values, then each with
// its key as a pair.
func appendMeta(dst []byte, meta *[len(metaKeys)]string) []byte {
	var count uint32
	for _, v := range meta {
		if v != "" {
			count++
		}
	}
	dst = binary.BigEndian.AppendUint32(dst, count)
	for i, v := range meta {
		if v != "" {
			dst = appendBytes(appendBytes(dst, metaKeys[i]), v)
		}
	}
	return dst
}

// appendBytes appends s with its uint32 length before it.
func appendBytes[S string | []byte](dst []byte, s S) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(s)))
	return append(dst, s...)
}

// tooLong reports whether a field of r cannot have its length in a uint32.
func tooLong(r *store.Record, meta *[len(metaKeys)]string) bool {
	longest := max(len(r.ID), len(r.Stream), len(r.Type), len(r.Data))
	for _, v := range meta {
		longest = max(longest, len(v))
	}
	return uint64(longest) > math.MaxUint32
}
