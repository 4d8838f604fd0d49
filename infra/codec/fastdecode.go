package codec

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/erasmus-ledger/ledger/domain"
)

// A plan decodes JSON into values of one Go type in a single pass, without
// the separate validation scan and the per-value type analysis of
// encoding/json. It covers the shapes the ledger's events use (structs of
// strings, numbers, booleans, pointers, slices and json.Unmarshaler values)
// and gives up on anything else: decode then reports false and the caller
// decodes the same bytes with encoding/json, so the outcome, errors included,
// is always encoding/json's.
type plan struct {
	typ    reflect.Type
	kind   reflect.Kind
	fields map[string]field // structs: fields by JSON name
	order  []field          // structs: the fields in order
	elem   *plan            // pointers and slices: the element's plan
	custom bool             // the type's pointer implements json.Unmarshaler
	date   bool             // domain.Date, decoded without its UnmarshalJSON
}

// field is a struct field a plan decodes. next is the place in the plan's
// order of the field after it, the member most likely to come next.
type field struct {
	name  string
	index int
	plan  *plan
	next  int
}

var (
	dateType            = reflect.TypeFor[domain.Date]()
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// newPlan returns the plan for t, or nil if t has a shape plans do not cover.
func newPlan(t reflect.Type) *plan {
	p := &plan{typ: t, kind: t.Kind()}
	if t == dateType {
		p.date = true
		return p
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		p.custom = true
		return p
	}
	if reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return nil
	}
	switch p.kind {
	case reflect.String, reflect.Bool, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return p
	case reflect.Pointer:
		if p.elem = newPlan(t.Elem()); p.elem == nil {
			return nil
		}
		return p
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return nil // []byte is base64 in JSON
		}
		if p.elem = newPlan(t.Elem()); p.elem == nil {
			return nil
		}
		return p
	case reflect.Struct:
		p.fields = map[string]field{}
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				return nil
			}
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if strings.Contains(opts, "string") {
				return nil
			}
			if name == "" {
				name = f.Name
			}
			fp := newPlan(f.Type)
			if fp == nil {
				return nil
			}
			if _, dup := p.fields[name]; dup {
				return nil
			}
			pf := field{name: name, index: i, plan: fp, next: len(p.order) + 1}
			p.fields[name] = pf
			p.order = append(p.order, pf)
		}
		return p
	}
	return nil
}

// decode decodes the JSON document data into v, which must be addressable
// and of p's type, and reports whether it could.
func (p *plan) decode(data []byte, v reflect.Value) bool {
	d := decoder{data: data}
	if !d.value(p, v) {
		return false
	}
	d.space()
	return d.pos == len(d.data)
}

// decoder is a position in a JSON document being decoded.
type decoder struct {
	data []byte
	pos  int
}

// space skips white space.
func (d *decoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// next skips white space and returns the next byte, or 0 at the end.
func (d *decoder) next() byte {
	d.space()
	if d.pos == len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

// value decodes the next value into v following p.
func (d *decoder) value(p *plan, v reflect.Value) bool {
	c := d.next()
	if p.date {
		return d.date(v)
	}
	if p.custom {
		start := d.pos
		if !d.skip() {
			return false
		}
		u, ok := v.Addr().Interface().(json.Unmarshaler)
		return ok && u.UnmarshalJSON(d.data[start:d.pos]) == nil
	}
	if c == 'n' {
		if p.kind != reflect.Pointer && p.kind != reflect.Slice {
			return false
		}
		if !d.literal("null") {
			return false
		}
		v.SetZero()
		return true
	}
	switch p.kind {
	case reflect.String:
		s, ok := d.str()
		if ok {
			v.SetString(s)
		}
		return ok
	case reflect.Bool:
		switch {
		case d.literal("true"):
			v.SetBool(true)
		case d.literal("false"):
			v.SetBool(false)
		default:
			return false
		}
		return true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := d.number()
		if !ok {
			return false
		}
		i, err := strconv.ParseInt(n, 10, 64)
		if err != nil || v.OverflowInt(i) {
			return false
		}
		v.SetInt(i)
		return true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := d.number()
		if !ok {
			return false
		}
		u, err := strconv.ParseUint(n, 10, 64)
		if err != nil || v.OverflowUint(u) {
			return false
		}
		v.SetUint(u)
		return true
	case reflect.Float32, reflect.Float64:
		n, ok := d.number()
		if !ok {
			return false
		}
		f, err := strconv.ParseFloat(n, p.typ.Bits())
		if err != nil || v.OverflowFloat(f) {
			return false
		}
		v.SetFloat(f)
		return true
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(p.typ.Elem()))
		}
		return d.value(p.elem, v.Elem())
	case reflect.Slice:
		return d.slice(p, v)
	case reflect.Struct:
		return d.object(p, v)
	}
	return false
}

// date decodes a domain.Date as its UnmarshalJSON does, which would unquote
// the string with encoding/json again.
func (d *decoder) date(v reflect.Value) bool {
	if d.next() == 'n' {
		if !d.literal("null") {
			return false
		}
		setDate(v, domain.Date{})
		return true
	}
	s, ok := d.str()
	if !ok {
		return false
	}
	date, err := domain.ParseDate(s)
	if err != nil {
		return false
	}
	setDate(v, date)
	return true
}

// setDate stores d in v through its address, which unlike v.Set with
// reflect.ValueOf(d) copies no Date to the heap.
func setDate(v reflect.Value, d domain.Date) {
	if v.CanAddr() {
		*v.Addr().Interface().(*domain.Date) = d
		return
	}
	v.Set(reflect.ValueOf(d))
}

// slice decodes an array into the slice v, as encoding/json does: into the
// elements it holds, then into new ones, truncating it to the array's length.
func (d *decoder) slice(p *plan, v reflect.Value) bool {
	if d.next() != '[' {
		return false
	}
	d.pos++
	i := 0
	if d.next() == ']' {
		d.pos++
		v.Set(reflect.MakeSlice(p.typ, 0, 0))
		return true
	}
	for {
		// Growing in place, as encoding/json does, costs no element
		// allocated and copied per element, unlike reflect.Append.
		if i >= v.Cap() {
			v.Grow(1)
		}
		if i >= v.Len() {
			v.SetLen(i + 1)
		}
		if !d.value(p.elem, v.Index(i)) {
			return false
		}
		i++
		switch d.next() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			v.SetLen(i)
			return true
		default:
			return false
		}
	}
}

// object decodes an object into the struct v. Members that name no field are
// skipped; a member whose name matches a field only without regard to case
// (which encoding/json would decode) makes it give up.
func (d *decoder) object(p *plan, v reflect.Value) bool {
	if d.next() != '{' {
		return false
	}
	d.pos++
	if d.next() == '}' {
		d.pos++
		return true
	}
	for expect := 0; ; {
		name, ok := d.key()
		if !ok {
			return false
		}
		if d.next() != ':' {
			return false
		}
		d.pos++
		if f, found := p.field(name, expect); found {
			if !d.value(f.plan, v.Field(f.index)) {
				return false
			}
			expect = f.next
		} else {
			for n := range p.fields {
				if strings.EqualFold(n, string(name)) {
					return false
				}
			}
			if !d.skip() {
				return false
			}
		}
		switch d.next() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return true
		default:
			return false
		}
	}
}

// field returns the field named name, checking first the one at place
// expect in p's order: members come in field order when encoding/json wrote
// them, and comparing one name costs less than hashing it.
func (p *plan) field(name []byte, expect int) (field, bool) {
	if expect < len(p.order) && p.order[expect].name == string(name) {
		return p.order[expect], true
	}
	f, ok := p.fields[string(name)]
	return f, ok
}

// key returns the next member name, which must be free of escapes.
func (d *decoder) key() ([]byte, bool) {
	if d.next() != '"' {
		return nil, false
	}
	start := d.pos + 1
	for i := start; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			return d.data[start:i], true
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return nil, false
		}
	}
	return nil, false
}

// str returns the next string. One with escapes or bytes outside ASCII is
// handed to encoding/json, which owns the rules for unquoting and for
// invalid UTF-8.
func (d *decoder) str() (string, bool) {
	if d.next() != '"' {
		return "", false
	}
	start := d.pos
	plain := true
	i := start + 1
	for i < len(d.data) {
		if i+8 <= len(d.data) && plainWord(word(d.data[i:])) {
			i += 8 // none of the eight ends the string or is escaped
			continue
		}
		c := d.data[i]
		if c == '"' {
			break
		}
		if c < 0x20 {
			return "", false
		}
		if c == '\\' {
			plain = false
			i++
		} else if c >= utf8.RuneSelf {
			plain = false
		}
		i++
	}
	if i >= len(d.data) {
		return "", false
	}
	d.pos = i + 1
	if plain {
		return string(d.data[start+1 : i]), true
	}
	var s string
	if err := json.Unmarshal(d.data[start:d.pos], &s); err != nil {
		return "", false
	}
	return s, true
}

// number returns the next number, checked against JSON's grammar.
func (d *decoder) number() (string, bool) {
	d.space()
	start, i := d.pos, d.pos
	digits := func() bool {
		j := i
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(d.data) && d.data[i] == '-' {
		i++
	}
	switch {
	case i < len(d.data) && d.data[i] == '0':
		i++
	case !digits():
		return "", false
	}
	if i < len(d.data) && d.data[i] == '.' {
		i++
		if !digits() {
			return "", false
		}
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if !digits() {
			return "", false
		}
	}
	d.pos = i
	return string(d.data[start:i]), true
}

// literal consumes word if it comes next.
func (d *decoder) literal(word string) bool {
	d.space()
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return false
	}
	d.pos += len(word)
	return true
}

// skip passes over the next value, checking that it is valid JSON.
func (d *decoder) skip() bool {
	switch d.next() {
	case '{':
		d.pos++
		if d.next() == '}' {
			d.pos++
			return true
		}
		for {
			if _, ok := d.str(); !ok {
				return false
			}
			if d.next() != ':' {
				return false
			}
			d.pos++
			if !d.skip() {
				return false
			}
			switch d.next() {
			case ',':
				d.pos++
			case '}':
				d.pos++
				return true
			default:
				return false
			}
		}
	case '[':
		d.pos++
		if d.next() == ']' {
			d.pos++
			return true
		}
		for {
			if !d.skip() {
				return false
			}
			switch d.next() {
			case ',':
				d.pos++
			case ']':
				d.pos++
				return true
			default:
				return false
			}
		}
	case '"':
		return d.skipString()
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	}
	_, ok := d.number()
	return ok
}

// skipString passes over the next string without decoding it, checking its
// escapes if it has any.
func (d *decoder) skipString() bool {
	start := d.pos + 1
	for i := start; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			return true
		case c < 0x20:
			return false
		case c == '\\':
			_, ok := d.str()
			return ok
		}
	}
	return false
}
