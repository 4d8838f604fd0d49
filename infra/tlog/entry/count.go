package entry

import (
	"bytes"
	"encoding/binary"
)

// Counter counts the records (lines and frames) of an entries stream that
// passes through it in pieces of any size, without decoding them: archives
// of the stream are cut and continued at record boundaries with it.
type Counter struct {
	// Records is how many records ended so far.
	Records uint64
	state   counterState
	header  [frameHeader]byte
	got     int    // header bytes read
	left    uint64 // leaf bytes still to come
}

type counterState int

const (
	atStart counterState = iota
	inLine
	inHeader
	inLeaf
)

// Feed passes p through, but not beyond the end of record number limit, and
// returns how many leading bytes of p it took.
func (c *Counter) Feed(p []byte, limit uint64) int {
	i := 0
	for i < len(p) && c.Records < limit {
		switch c.state {
		case atStart:
			c.state, c.got = inLine, 0
			if isFrame(p[i]) {
				c.state = inHeader
			}
		case inLine:
			j := bytes.IndexByte(p[i:], '\n')
			if j < 0 {
				return len(p)
			}
			i += j + 1
			c.end()
		case inHeader:
			n := copy(c.header[c.got:], p[i:])
			i, c.got = i+n, c.got+n
			if c.got < frameHeader {
				break
			}
			c.state, c.left = inLeaf, uint64(binary.BigEndian.Uint32(c.header[:]))
			if c.left == 0 {
				c.end()
			}
		case inLeaf:
			n := min(uint64(len(p)-i), c.left)
			i, c.left = i+int(n), c.left-n
			if c.left == 0 {
				c.end()
			}
		}
	}
	return i
}

// end counts a record that ended.
func (c *Counter) end() {
	c.Records++
	c.state = atStart
}

// InLine reports whether the stream so far ends inside a line.
func (c *Counter) InLine() bool { return c.state == inLine }

// InFrame reports whether the stream so far ends inside a frame.
func (c *Counter) InFrame() bool { return c.state == inHeader || c.state == inLeaf }
