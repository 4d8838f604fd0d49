// Package statuslist implements the W3C Bitstring Status List v1.0: the
// bitstring and its encodedList form, and the allocation of credentials' bits
// in their issuer's lists.
package statuslist

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
)

// MinSize is the smallest list the specification allows, in bits (16 KiB),
// so that one credential's bit hides among many.
const MinSize = 131072

// MaxSize is the largest list Decode accepts, in bits (1 MiB, some eight
// million entries), a bound against decompression bombs; lists the ledger
// makes are MinSize bits.
const MaxSize = 1 << 23

// multibaseBase64URL is the multibase prefix of unpadded base64url.
const multibaseBase64URL = 'u'

// ErrIndex reports an index outside a list.
var ErrIndex = errors.New("status list index out of range")

// Bitstring is a status list: a string of bits, bit 0 being the most
// significant bit of byte 0. A set bit means the status applies (the
// credential is revoked, or suspended).
type Bitstring struct {
	b []byte
}

// New returns a list of size bits, all unset. size must be a multiple of 8
// from MinSize to MaxSize.
func New(size int) (*Bitstring, error) {
	if err := checkSize(size); err != nil {
		return nil, err
	}
	return &Bitstring{b: make([]byte, size/8)}, nil
}

func checkSize(bits int) error {
	if bits%8 != 0 || bits < MinSize || bits > MaxSize {
		return fmt.Errorf("status list of %d bits: want a multiple of 8 from %d to %d", bits, MinSize, MaxSize)
	}
	return nil
}

// Len is the list's size in bits.
func (s *Bitstring) Len() int { return 8 * len(s.b) }

// Set sets bit i.
func (s *Bitstring) Set(i int) error {
	if i < 0 || i >= s.Len() {
		return fmt.Errorf("%w: %d of %d", ErrIndex, i, s.Len())
	}
	s.b[i/8] |= 0x80 >> (i % 8)
	return nil
}

// Get reports whether bit i is set.
func (s *Bitstring) Get(i int) (bool, error) {
	if i < 0 || i >= s.Len() {
		return false, fmt.Errorf("%w: %d of %d", ErrIndex, i, s.Len())
	}
	return s.b[i/8]&(0x80>>(i%8)) != 0, nil
}

// Encode returns the list's encodedList: "u" (multibase) followed by the
// unpadded base64url of the GZIP-compressed bitstring.
func (s *Bitstring) Encode() (string, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := zw.Write(s.b); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return string(multibaseBase64URL) + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// Decode reads an encodedList, refusing anything but a GZIP-compressed
// bitstring of MinSize to MaxSize bits, in unpadded base64url with the
// multibase prefix "u".
func Decode(encoded string) (*Bitstring, error) {
	if encoded == "" || encoded[0] != multibaseBase64URL {
		return nil, errors.New("encodedList must start with the multibase prefix u (base64url)")
	}
	z, err := base64.RawURLEncoding.Strict().DecodeString(encoded[1:])
	if err != nil {
		return nil, fmt.Errorf("encodedList is not unpadded base64url: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("encodedList is not GZIP: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, MaxSize/8+1))
	if err != nil {
		return nil, fmt.Errorf("encodedList is not GZIP: %w", err)
	}
	if err := checkSize(8 * len(b)); err != nil {
		return nil, fmt.Errorf("encodedList: %w", err)
	}
	return &Bitstring{b: b}, nil
}
