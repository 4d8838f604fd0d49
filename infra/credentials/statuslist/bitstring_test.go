package statuslist

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"
)

// independentBit reads bit i of an encodedList without this package: strip the
// multibase prefix, base64url-decode, gunzip, then the bit arithmetic of the
// specification (bit 0 is the most significant bit of byte 0).
func independentBit(t *testing.T, encoded string, i int) (bit bool, size int) {
	t.Helper()
	if !strings.HasPrefix(encoded, "u") {
		t.Fatalf("encodedList %.20q lacks the multibase prefix u", encoded)
	}
	z, err := base64.RawURLEncoding.DecodeString(encoded[1:])
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw[i/8]>>(7-i%8)&1 == 1, len(raw) * 8
}

func TestEncodeAsTheSpecificationSays(t *testing.T) {
	set := []int{0, 7, 8, 94567, MinSize - 1}
	unset := []int{1, 6, 9, 94566, 94568, MinSize - 2}
	s, err := New(MinSize)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range set {
		if err := s.Set(i); err != nil {
			t.Fatal(err)
		}
	}
	encoded, err := s.Encode()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		indexes []int
		want    bool
	}{{set, true}, {unset, false}} {
		for _, i := range tt.indexes {
			bit, size := independentBit(t, encoded, i)
			if bit != tt.want || size != MinSize {
				t.Errorf("bit %d = %v in a list of %d bits, want %v in %d", i, bit, size, tt.want, MinSize)
			}
		}
	}
	if len(encoded) > 200 {
		t.Errorf("a sparse list encodes to %d characters; GZIP should make it short", len(encoded))
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	s, err := New(2 * MinSize)
	if err != nil {
		t.Fatal(err)
	}
	set := map[int]bool{3: true, 131071: true, 131072: true, 2*MinSize - 1: true}
	for i := range set {
		if err := s.Set(i); err != nil {
			t.Fatal(err)
		}
	}
	encoded, err := s.Encode()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decode(encoded)
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 2*MinSize {
		t.Fatalf("decoded %d bits, want %d", d.Len(), 2*MinSize)
	}
	for i := range d.Len() {
		if got, _ := d.Get(i); got != set[i] {
			t.Fatalf("bit %d = %v, want %v", i, got, set[i])
		}
	}
}

func TestIndexOutOfRange(t *testing.T) {
	s, err := New(MinSize)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{-1, MinSize, MinSize + 8} {
		if err := s.Set(i); !errors.Is(err, ErrIndex) {
			t.Errorf("Set(%d) = %v, want ErrIndex", i, err)
		}
		if _, err := s.Get(i); !errors.Is(err, ErrIndex) {
			t.Errorf("Get(%d) = %v, want ErrIndex", i, err)
		}
	}
}

func TestNewRefusesSizes(t *testing.T) {
	for _, size := range []int{0, 8, MinSize - 8, MinSize + 1, MaxSize + 8} {
		if _, err := New(size); err == nil {
			t.Errorf("New(%d) accepted", size)
		}
	}
}

// encode builds an encodedList of raw bytes without this package.
func encode(t testing.TB, raw []byte, prefix string, enc *base64.Encoding) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return prefix + enc.EncodeToString(buf.Bytes())
}

func TestDecodeRefuses(t *testing.T) {
	full := make([]byte, MinSize/8)
	tests := []struct {
		name    string
		encoded string
	}{
		{"empty", ""},
		{"no multibase prefix", encode(t, full, "", base64.RawURLEncoding)},
		{"base58 prefix", encode(t, full, "z", base64.RawURLEncoding)},
		{"padded base64", encode(t, full, "u", base64.RawURLEncoding) + "="},
		{"standard alphabet", "u" + strings.Repeat("+/", 20)},
		{"not gzip", "u" + base64.RawURLEncoding.EncodeToString(full)},
		{"too short a list", encode(t, full[:MinSize/8-1], "u", base64.RawURLEncoding)},
		{"too long a list", encode(t, make([]byte, MaxSize/8+1), "u", base64.RawURLEncoding)},
		{"truncated gzip", func() string { s := encode(t, full, "u", base64.RawURLEncoding); return s[:len(s)-6] }()},
		{"trailing garbage", encode(t, full, "u", base64.RawURLEncoding) + "AAAA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.encoded); err == nil {
				t.Error("Decode accepted it")
			}
		})
	}
}
