package entry_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// mixed is a stream of n entries, even ones as binary frames and odd ones
// as NDJSON lines, and the leaves of all.
func mixed(t testing.TB, n uint64) ([]byte, [][]byte) {
	var stream []byte
	var leaves [][]byte
	for i := range n {
		r := record(`{"n":1}`)
		r.Index = i
		l, _ := leaf.Encode(r)
		leaves = append(leaves, l)
		if i%2 == 0 {
			var err error
			if stream, err = entry.AppendFrame(stream, r); err != nil {
				t.Fatal(err)
			}
		} else {
			stream = entry.AppendLine(stream, r, l)
		}
	}
	return stream, leaves
}

func TestAppendFrame(t *testing.T) {
	t.Parallel()
	r := record(`{}`)
	l, _ := leaf.Encode(r)
	f, err := entry.AppendFrame([]byte("x"), r)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte{'x', 0, 0, 0, byte(len(l))}, l...)
	if !bytes.Equal(f, want) {
		t.Fatalf("frame %x, want %x", f, want)
	}
}

func TestReaderReadsFramesAndLinesMixed(t *testing.T) {
	t.Parallel()
	stream, leaves := mixed(t, 7)
	// A reader of one byte at a time crosses every boundary.
	rd := entry.NewReader(&oneByte{bytes.NewReader(stream)})
	for i, l := range leaves {
		e, err := rd.Next()
		if err != nil || e.Index != uint64(i) || !bytes.Equal(e.Leaf, l) {
			t.Fatalf("entry %d: %d, %x, %v", i, e.Index, e.Leaf, err)
		}
	}
	if _, err := rd.Next(); err != io.EOF {
		t.Fatalf("after the last entry: %v, want io.EOF", err)
	}
}

func TestReaderRejectsBrokenFrames(t *testing.T) {
	t.Parallel()
	stream, _ := mixed(t, 1)
	cases := map[string][]byte{
		"cut inside the leaf":   stream[:len(stream)-3],
		"cut inside the header": stream[:2],
		"a leaf too short":      {0, 0, 0, 3, 1, 0, 0},
		"a leaf of version 2":   append([]byte{0, 0, 0, 9, 2}, make([]byte, 8)...),
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := entry.NewReader(bytes.NewReader(s)).Next()
			if !errors.Is(err, entry.ErrMalformed) || !strings.Contains(err.Error(), "line 1") {
				t.Fatalf("Next = %v, want ErrMalformed naming line 1", err)
			}
		})
	}
}

func TestReaderReadsLongLines(t *testing.T) {
	t.Parallel()
	r := record(strings.Repeat("x", 600<<10))
	l, _ := leaf.Encode(r)
	line := entry.AppendLine(nil, r, l)
	rd := entry.NewReader(bytes.NewReader(bytes.TrimSuffix(line, []byte("\n")))) // no final newline
	if e, err := rd.Next(); err != nil || !bytes.Equal(e.Leaf, l) {
		t.Fatalf("long line: %v", err)
	}
}

func TestCounter(t *testing.T) {
	t.Parallel()
	stream, leaves := mixed(t, 9)
	for _, piece := range []int{1, 3, 64, len(stream)} {
		var c entry.Counter
		for p := stream; len(p) > 0; {
			n := min(piece, len(p))
			if took := c.Feed(p[:n], math.MaxUint64); took != n {
				t.Fatalf("pieces of %d: took %d of %d bytes", piece, took, n)
			}
			p = p[n:]
		}
		if c.Records != uint64(len(leaves)) || c.InLine() || c.InFrame() {
			t.Fatalf("pieces of %d: %d records, in a line %t, in a frame %t", piece, c.Records, c.InLine(), c.InFrame())
		}
	}
}

func TestCounterStopsAtTheLimit(t *testing.T) {
	t.Parallel()
	stream, _ := mixed(t, 5)
	whole, _ := mixed(t, 3)
	for _, piece := range []int{1, 5, len(stream)} {
		var c entry.Counter
		var kept []byte
		for p := stream; len(p) > 0; p = p[min(piece, len(p)):] {
			kept = append(kept, p[:c.Feed(p[:min(piece, len(p))], 3)]...)
		}
		if !bytes.Equal(kept, whole) || c.Records != 3 {
			t.Fatalf("pieces of %d: kept %d bytes, %d records; want the %d bytes of 3", piece, len(kept), c.Records, len(whole))
		}
	}
}

func TestCounterSaysWhereAStreamEnds(t *testing.T) {
	t.Parallel()
	stream, _ := mixed(t, 2) // a frame, then a line
	var c entry.Counter
	c.Feed(stream[:3], math.MaxUint64)
	if !c.InFrame() || c.InLine() {
		t.Fatal("inside the first frame's header, not said so")
	}
	c.Feed(stream[3:len(stream)-1], math.MaxUint64)
	if !c.InLine() || c.InFrame() || c.Records != 1 {
		t.Fatalf("inside the second line: in a line %t, %d records", c.InLine(), c.Records)
	}
}

// oneByte reads one byte at a time.
type oneByte struct{ r io.Reader }

func (o *oneByte) Read(p []byte) (int, error) { return o.r.Read(p[:min(1, len(p))]) }
