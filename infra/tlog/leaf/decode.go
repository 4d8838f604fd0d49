package leaf

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// Decode reads a leaf back into the record it stands for. It accepts exactly
// the bytes Append writes: Append(nil, Decode(b)) == b for every b it accepts.
// The returned record's Data aliases b.
func Decode(b []byte) (store.Record, error) {
	d := decoder{b: b}
	var r store.Record
	if v := d.u8(); d.err == nil && v != Version {
		return store.Record{}, fmt.Errorf("%w: format version %d is not %d", ErrMalformed, v, Version)
	}
	r.Index = d.u64()
	r.ID = string(d.bytes())
	r.Stream = string(d.bytes())
	r.Version = d.u64()
	r.Type = string(d.bytes())
	r.Schema = int(d.u32())
	r.RecordedAt = time.UnixMicro(int64(d.u64())).UTC()
	d.meta(&r.Meta)
	r.Data = d.bytes()
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d bytes after the payload", len(d.b))
	}
	if d.err != nil {
		return store.Record{}, d.err
	}
	return r, nil
}

// decoder consumes a leaf from the front. After the first failure every read
// returns zero values and err keeps that first failure.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, a ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, a...)...)
	}
}

// take consumes n bytes.
func (d *decoder) take(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if uint64(len(d.b)) < n {
		d.fail("needs %d more bytes, has %d", n, len(d.b))
		return nil
	}
	p := d.b[:n:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) u8() byte {
	if p := d.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (d *decoder) u32() uint32 {
	if p := d.take(4); p != nil {
		return binary.BigEndian.Uint32(p)
	}
	return 0
}

func (d *decoder) u64() uint64 {
	if p := d.take(8); p != nil {
		return binary.BigEndian.Uint64(p)
	}
	return 0
}

// bytes consumes a length-prefixed field.
func (d *decoder) bytes() []byte {
	n := d.u32()
	return d.take(uint64(n))
}

// meta consumes the metadata pairs into m, insisting on known keys in
// ascending order with non-empty values, so that the encoding stays unique.
func (d *decoder) meta(m *store.Metadata) {
	count := d.u32()
	next := 0
	for i := uint32(0); i < count && d.err == nil; i++ {
		key, value := string(d.bytes()), string(d.bytes())
		for next < len(metaKeys) && metaKeys[next] != key {
			next++
		}
		switch {
		case d.err != nil:
		case next == len(metaKeys):
			d.fail("metadata key %q is unknown or out of order", key)
		case value == "":
			d.fail("metadata key %q has an empty value", key)
		default:
			setMeta(m, next, value)
			next++
		}
	}
}
