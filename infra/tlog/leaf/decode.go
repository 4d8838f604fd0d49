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
	return (*Decoder)(nil).Decode(b)
}

// Decoder decodes leaves as Decode does, sharing the strings that recur from
// leaf to leaf, event types and actors, instead of allocating them anew for
// every leaf; the event ID and the stream of a leaf, which are next to each
// other in it, share one allocation. It remembers up to maxShared strings.
// The zero Decoder is ready to use; it is not safe for concurrent use.
type Decoder struct {
	shared map[string]string
}

// maxShared is how many distinct strings a Decoder keeps to share: the
// event types and actors of a ledger are far fewer.
const maxShared = 1 << 10

// share returns b as a string, one kept from an earlier leaf if it is the same.
func (x *Decoder) share(b []byte) string {
	if x == nil {
		return string(b)
	}
	if s, ok := x.shared[string(b)]; ok {
		return s
	}
	s := string(b)
	if x.shared == nil {
		x.shared = map[string]string{}
	}
	if len(x.shared) < maxShared {
		x.shared[s] = s
	}
	return s
}

// Decode decodes the leaf b, as the function Decode does.
func (x *Decoder) Decode(b []byte) (store.Record, error) {
	d := decoder{b: b, shared: x}
	var r store.Record
	if v := d.u8(); d.err == nil && v != Version {
		return store.Record{}, fmt.Errorf("%w: format version %d is not %d", ErrMalformed, v, Version)
	}
	r.Index = d.u64()
	r.ID, r.Stream = d.idAndStream()
	r.Version = d.u64()
	r.Type = x.share(d.bytes())
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

// idAndStream consumes the event ID and the stream, which follows it, into
// one string that both are cut from.
func (d *decoder) idAndStream() (id, stream string) {
	start := d.b
	idLen := len(d.bytes())
	streamLen := len(d.bytes())
	if d.err != nil {
		return "", ""
	}
	both := string(start[4 : 4+idLen+4+streamLen])
	return both[:idLen], both[idLen+4:]
}

// decoder consumes a leaf from the front. After the first failure every read
// returns zero values and err keeps that first failure.
type decoder struct {
	b      []byte
	err    error
	shared *Decoder // shares the strings of metadata values, if not nil
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
		key, value := d.bytes(), d.bytes()
		for next < len(metaKeys) && metaKeys[next] != string(key) {
			next++
		}
		switch {
		case d.err != nil:
		case next == len(metaKeys):
			d.fail("metadata key %q is unknown or out of order", key)
		case len(value) == 0:
			d.fail("metadata key %q has an empty value", key)
		default:
			setMeta(m, next, d.metaValue(next, value))
			next++
		}
	}
}

// metaValue is the string of the value of metadata key metaKeys[i]: shared
// for the actor, who acts again and again, allocated for the others, which
// are unique to an event or a few.
func (d *decoder) metaValue(i int, value []byte) string {
	if metaKeys[i] == "actor" {
		return d.shared.share(value)
	}
	return string(value)
}
