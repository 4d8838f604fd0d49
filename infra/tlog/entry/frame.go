package entry

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// MediaType names the binary form of the entries stream, which a client asks
// for with Accept: each entry a frame of the leaf's length as a big-endian
// u32, then the leaf's bytes. The entry's index is the leaf's own (bytes 1 to
// 8 of a version 1 leaf). The frames carry exactly what verification needs
// and cost neither base64 nor JSON on either side; NDJSON stays the default.
//
// A frame's first byte is below 0x04, because no leaf reaches MaxLine (64
// MiB); no JSON line starts so. Readers therefore tell a frame from a line
// by its first byte, and an archive may hold both.
const MediaType = "application/vnd.erasmus-ledger.leaves"

// frameHeader is the length of a frame's header, the leaf's length.
const frameHeader = 4

// isFrame reports whether a record starting with byte b is a binary frame.
func isFrame(b byte) bool { return b < MaxLine>>24 }

// AppendFrame appends the binary frame of record r's leaf.
func AppendFrame(dst []byte, r store.Record) ([]byte, error) {
	at := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst, err := leaf.Append(dst, r)
	if err != nil {
		return nil, err
	}
	n := len(dst) - at - frameHeader
	if n >= MaxLine || n > math.MaxUint32 {
		return nil, fmt.Errorf("leaf of entry %d: %d bytes, more than a frame holds", r.Index, n)
	}
	binary.BigEndian.PutUint32(dst[at:], uint32(n))
	return dst, nil
}

// leafIndex is the index a version 1 leaf states.
func leafIndex(l []byte) (uint64, error) {
	if len(l) < 9 || l[0] != leaf.Version {
		return 0, fmt.Errorf("%w: a frame's leaf of %d bytes states no index", ErrMalformed, len(l))
	}
	return binary.BigEndian.Uint64(l[1:9]), nil
}
