package entry

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// MaxLine is the longest line a Reader accepts, in bytes.
const MaxLine = 64 << 20

// ErrMalformed is wrapped by every error about a line's content.
var ErrMalformed = errors.New("malformed entry line")

// Entry is what a line says that verification relies on: the entry's claimed
// log index and its leaf bytes.
type Entry struct {
	Index uint64
	Leaf  []byte
}

// Reader reads entries from an entries stream, one line at a time.
type Reader struct {
	sc   *bufio.Scanner
	line int
}

// NewReader returns a Reader of the NDJSON stream r.
func NewReader(r io.Reader) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256<<10), MaxLine)
	return &Reader{sc: sc}
}

// Next returns the next entry, or io.EOF after the last line. Its errors name
// the line, counted from 1.
func (r *Reader) Next() (Entry, error) {
	if !r.sc.Scan() {
		if err := r.sc.Err(); err != nil {
			return Entry{}, fmt.Errorf("entries line %d: %w", r.line+1, err)
		}
		return Entry{}, io.EOF
	}
	r.line++
	e, err := Parse(r.sc.Bytes())
	if err != nil {
		return Entry{}, fmt.Errorf("entries line %d: %w", r.line, err)
	}
	return e, nil
}

// Parse reads the index and leaf of one line. Lines as AppendLine writes them
// take a fast path that reads only those two leading members; any other JSON
// object with an "index" number and a base64 "leaf" string is read in full.
func Parse(line []byte) (Entry, error) {
	if e, ok := parseFast(line); ok {
		return e, nil
	}
	var v struct {
		Index *uint64 `json:"index"`
		Leaf  *[]byte `json:"leaf"`
	}
	if err := json.Unmarshal(line, &v); err != nil {
		return Entry{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if v.Index == nil || v.Leaf == nil {
		return Entry{}, fmt.Errorf("%w: needs index and leaf", ErrMalformed)
	}
	return Entry{Index: *v.Index, Leaf: *v.Leaf}, nil
}

// parseFast reads a line that starts exactly as AppendLine writes it and ends
// the object on the same line; ok is false for anything else.
func parseFast(line []byte) (e Entry, ok bool) {
	rest, ok := bytes.CutPrefix(line, []byte(`{"index":`))
	if !ok || !bytes.HasSuffix(line, []byte("}")) {
		return Entry{}, false
	}
	digits := 0
	for digits < len(rest) && '0' <= rest[digits] && rest[digits] <= '9' {
		digits++
	}
	if digits == 0 || digits > 1 && rest[0] == '0' {
		return Entry{}, false
	}
	index, err := strconv.ParseUint(string(rest[:digits]), 10, 64)
	if err != nil {
		return Entry{}, false
	}
	rest, ok = bytes.CutPrefix(rest[digits:], []byte(`,"leaf":"`))
	end := bytes.IndexByte(rest, '"')
	if !ok || end < 0 {
		return Entry{}, false
	}
	leaf := make([]byte, base64.StdEncoding.DecodedLen(end))
	n, err := base64.StdEncoding.Decode(leaf, rest[:end])
	if err != nil {
		return Entry{}, false
	}
	return Entry{Index: index, Leaf: leaf[:n]}, true
}
