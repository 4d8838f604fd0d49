package codec

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// AppendJSON appends to dst the JSON encoding of v, byte for byte what
// json.Marshal(v) returns, and returns the extended buffer. It encodes the
// shapes the ledger's documents use (structs of strings, numbers, booleans,
// pointers, slices, time.Time and domain.Date) in one pass through a plan
// made once per type, without encoding/json's per-value marshaler calls and
// their compaction, or its final copy. For anything else it appends what
// json.Marshal returns, errors included.
func AppendJSON(dst []byte, v any) ([]byte, error) {
	if p := encPlanFor(reflect.TypeOf(v)); p != nil {
		if out, ok := p.encode(dst, reflect.ValueOf(v)); ok {
			return out, nil
		}
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return dst, err
	}
	return append(dst, raw...), nil
}

// encPlans holds the encoding plan of every type AppendJSON has met: an
// *encPlan, or a nil one for the types plans do not cover.
var encPlans sync.Map

// encPlanFor returns the plan for t, or nil if t has a shape plans do not
// cover.
func encPlanFor(t reflect.Type) *encPlan {
	if t == nil {
		return nil
	}
	if p, ok := encPlans.Load(t); ok {
		return p.(*encPlan)
	}
	p := newEncPlan(t)
	encPlans.Store(t, p)
	return p
}

// An encPlan encodes values of one Go type as encoding/json would.
type encPlan struct {
	kind   reflect.Kind
	bits   int        // floats: 32 or 64
	time   bool       // time.Time, as its MarshalJSON writes it
	date   bool       // domain.Date, as its MarshalJSON writes it
	elem   *encPlan   // pointers and slices: the element's plan
	fields []encField // structs: the exported fields in order
}

// encField is a struct field an encPlan encodes.
type encField struct {
	index     int
	key       []byte // the quoted name and the colon
	omitEmpty bool
	plan      *encPlan
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// newEncPlan returns the plan for t, or nil if t has a shape plans do not
// cover: maps, interfaces, arrays, []byte, embedded fields, unusual tags and
// any other type with a marshaler of its own.
func newEncPlan(t reflect.Type) *encPlan {
	p := &encPlan{kind: t.Kind()}
	switch {
	case t == timeType:
		p.time = true
		return p
	case t == dateType:
		p.date = true
		return p
	case p.kind == reflect.Pointer:
		// A pointer has its element's methods; encoding/json writes null
		// for a nil one and else what the element's plan writes.
	case t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType),
		t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType):
		return nil
	}
	switch p.kind {
	case reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return p
	case reflect.Float32, reflect.Float64:
		p.bits = t.Bits()
		return p
	case reflect.Pointer, reflect.Slice:
		if p.kind == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return nil // []byte is base64 in JSON
		}
		if p.elem = newEncPlan(t.Elem()); p.elem == nil {
			return nil
		}
		return p
	case reflect.Struct:
		return structEncPlan(t, p)
	}
	return nil
}

// structEncPlan completes p, the plan of the struct type t, with its fields.
func structEncPlan(t reflect.Type, p *encPlan) *encPlan {
	seen := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			return nil
		}
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts != "" && opts != "omitempty" {
			return nil // "string", "omitzero" and their combinations
		}
		if name == "" {
			name = f.Name
		}
		if !plainName(name) || seen[name] {
			return nil
		}
		seen[name] = true
		fp := newEncPlan(f.Type)
		if fp == nil {
			return nil
		}
		key := strconv.AppendQuote(nil, name)
		p.fields = append(p.fields, encField{index: i, key: append(key, ':'), omitEmpty: opts == "omitempty", plan: fp})
	}
	return p
}

// plainName reports whether name is made of ASCII letters, digits, '_' and
// '-' only: a name encoding/json takes as it is and writes without escapes.
func plainName(name string) bool {
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return name != ""
}

// encode appends the encoding of v, of p's type, to dst, and reports whether
// it could; encoding/json would fail where it cannot.
func (p *encPlan) encode(dst []byte, v reflect.Value) ([]byte, bool) {
	switch {
	case p.time:
		return appendTime(dst, valueOf[time.Time](v))
	case p.date:
		return appendDate(dst, valueOf[domain.Date](v)), true
	}
	switch p.kind {
	case reflect.String:
		return appendString(dst, v.String()), true
	case reflect.Bool:
		return strconv.AppendBool(dst, v.Bool()), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(dst, v.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.AppendUint(dst, v.Uint(), 10), true
	case reflect.Float32, reflect.Float64:
		return appendFloat(dst, v.Float(), p.bits)
	case reflect.Pointer:
		if v.IsNil() {
			return append(dst, "null"...), true
		}
		return p.elem.encode(dst, v.Elem())
	case reflect.Slice:
		return p.encodeSlice(dst, v)
	}
	return p.encodeStruct(dst, v)
}

// encodeSlice appends the slice v: null if nil, else an array.
func (p *encPlan) encodeSlice(dst []byte, v reflect.Value) ([]byte, bool) {
	if v.IsNil() {
		return append(dst, "null"...), true
	}
	dst = append(dst, '[')
	for i := range v.Len() {
		if i > 0 {
			dst = append(dst, ',')
		}
		var ok bool
		if dst, ok = p.elem.encode(dst, v.Index(i)); !ok {
			return dst, false
		}
	}
	return append(dst, ']'), true
}

// encodeStruct appends the struct v as an object, leaving out the empty
// values of omitempty fields.
func (p *encPlan) encodeStruct(dst []byte, v reflect.Value) ([]byte, bool) {
	dst = append(dst, '{')
	first := true
	for _, f := range p.fields {
		fv := v.Field(f.index)
		if f.omitEmpty && empty(fv) {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, f.key...)
		var ok bool
		if dst, ok = f.plan.encode(dst, fv); !ok {
			return dst, false
		}
	}
	return append(dst, '}'), true
}

// valueOf returns the T that v holds, through its address when it has one,
// which spares the copy to the heap that v.Interface makes.
func valueOf[T any](v reflect.Value) T {
	if v.CanAddr() {
		return *v.Addr().Interface().(*T)
	}
	return v.Interface().(T)
}

// empty reports whether omitempty leaves v out, by encoding/json's rule.
func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map, reflect.Array:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Struct:
		return false
	}
	return v.IsZero()
}

// appendTime appends t as time.Time's MarshalJSON writes it, and reports
// false where that fails: a year outside 0–9999 or an offset of a day or more.
func appendTime(dst []byte, t time.Time) ([]byte, bool) {
	_, offset := t.Zone()
	if y := t.Year(); y < 0 || y > 9999 || offset <= -24*3600 || offset >= 24*3600 {
		return dst, false
	}
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"'), true
}

// appendDate appends d as domain.Date's MarshalJSON writes it: null for the
// zero date, else the quoted ISO 8601 form.
func appendDate(dst []byte, d domain.Date) []byte {
	if d.IsZero() {
		return append(dst, "null"...)
	}
	dst = append(dst, '"')
	dst = d.Time().AppendFormat(dst, time.DateOnly)
	return append(dst, '"')
}

// appendFloat appends f as encoding/json does, like ES6: 'f' format except
// for very small and very large magnitudes, with exponents unpadded. It
// reports false for NaN and infinities, which JSON cannot hold.
func appendFloat(dst []byte, f float64, bits int) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, false
	}
	abs, format := math.Abs(f), byte('f')
	if abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if n := len(dst); format == 'e' && n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
		dst[n-2] = dst[n-1]
		dst = dst[:n-1]
	}
	return dst, true
}
