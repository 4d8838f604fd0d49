package entry

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
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

// Reader reads entries from an entries stream: NDJSON lines, binary frames
// (see MediaType), or both mixed, telling each record by its first byte. The
// leaves it returns are carved from large blocks it never reuses, which
// spares the garbage collector an object per entry; a leaf held keeps its
// block alive.
type Reader struct {
	br    *bufio.Reader
	line  int    // records read so far, to name them in errors
	block []byte // the rest of the block leaves are carved from
}

// readBuffer is the size of a Reader's buffer, and blockSize that of the
// blocks its leaves are carved from, in bytes.
const (
	readBuffer = 256 << 10
	blockSize  = 1 << 20
)

// NewReader returns a Reader of the entries stream r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, readBuffer)}
}

// Next returns the next entry, or io.EOF after the last record. Its errors
// name the record, counted from 1 as "line".
func (r *Reader) Next() (Entry, error) {
	first, err := r.br.Peek(1)
	if err == io.EOF {
		return Entry{}, io.EOF
	}
	if err != nil {
		return Entry{}, fmt.Errorf("entries line %d: %w", r.line+1, err)
	}
	r.line++
	var e Entry
	if isFrame(first[0]) {
		e, err = r.frame()
	} else {
		e, err = r.text()
	}
	if err != nil {
		return Entry{}, fmt.Errorf("entries line %d: %w", r.line, err)
	}
	return e, nil
}

// frame reads a binary frame.
func (r *Reader) frame() (Entry, error) {
	h, err := r.br.Peek(frameHeader)
	if err != nil {
		return Entry{}, cutShort(err)
	}
	l := r.alloc(int(binary.BigEndian.Uint32(h)))
	r.br.Discard(frameHeader)
	if _, err := io.ReadFull(r.br, l); err != nil {
		return Entry{}, cutShort(err)
	}
	index, err := leafIndex(l)
	return Entry{Index: index, Leaf: l}, err
}

// cutShort is the error of a frame that the stream ends inside of.
func cutShort(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w: the stream ends inside a frame", ErrMalformed)
	}
	return err
}

// text reads an NDJSON line. The last line may lack its newline.
func (r *Reader) text() (Entry, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		line, err = r.longLine(line)
	}
	if err != nil && err != io.EOF {
		return Entry{}, err
	}
	line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
	if e, ok := parseFast(line, r.alloc); ok {
		return e, nil
	}
	return parseJSON(line)
}

// longLine reads the rest of a line longer than the buffer, of which start
// was read, up to MaxLine bytes.
func (r *Reader) longLine(start []byte) ([]byte, error) {
	line := append([]byte(nil), start...)
	for {
		more, err := r.br.ReadSlice('\n')
		line = append(line, more...)
		if len(line) > MaxLine {
			return nil, fmt.Errorf("%w: longer than %d bytes", ErrMalformed, MaxLine)
		}
		if err != bufio.ErrBufferFull {
			return line, err
		}
	}
}

// alloc returns n bytes for a leaf, carved from the current block.
func (r *Reader) alloc(n int) []byte {
	if n > blockSize/8 {
		return make([]byte, n)
	}
	if n > len(r.block) {
		r.block = make([]byte, blockSize)
	}
	b := r.block[:n:n]
	r.block = r.block[n:]
	return b
}

// Parse reads the index and leaf of one line. Lines as AppendLine writes them
// take a fast path that reads only those two leading members; any other JSON
// object with an "index" number and a base64 "leaf" string is read in full.
func Parse(line []byte) (Entry, error) {
	if e, ok := parseFast(line, func(n int) []byte { return make([]byte, n) }); ok {
		return e, nil
	}
	return parseJSON(line)
}

// parseJSON reads a line that is any JSON object with an "index" number and
// a base64 "leaf" string.
func parseJSON(line []byte) (Entry, error) {
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
// the object on the same line, with the leaf in bytes from alloc; ok is false
// for anything else.
func parseFast(line []byte, alloc func(n int) []byte) (e Entry, ok bool) {
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
	leaf := alloc(base64.StdEncoding.DecodedLen(end))
	n, err := base64.StdEncoding.Decode(leaf, rest[:end])
	if err != nil {
		return Entry{}, false
	}
	return Entry{Index: index, Leaf: leaf[:n]}, true
}
