package codec

import "unicode/utf8"

// hexDigits are the digits of \u escapes.
const hexDigits = "0123456789abcdef"

// plainByte marks the ASCII bytes json.Marshal copies into a string as they
// are: all but the control characters, '"', '\\' and, since it escapes HTML,
// '<', '>' and '&'.
var plainByte = func() (set [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		set[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return set
}()

// appendString appends s quoted and escaped exactly as json.Marshal writes
// a string: short escapes for '"', '\\', \b, \f, \n, \r and \t, \u00XX for
// the other control characters and for '<', '>' and '&', \ufffd for each
// byte of invalid UTF-8, and \u2028 and \u2029 escaped.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plainWord(word(s[i:])) {
			i += 8
			continue
		}
		b := s[i]
		if b < utf8.RuneSelf {
			if plainByte[b] {
				i++
				continue
			}
			dst = appendEscapedByte(append(dst, s[start:i]...), b)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendEscapedByte appends the escape of the ASCII byte b.
func appendEscapedByte(dst []byte, b byte) []byte {
	switch b {
	case '\\', '"':
		return append(dst, '\\', b)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
}

// The bytes of a word each set to 1 and to 0x80.
const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// word returns the first 8 bytes of s, which must have them, as a
// little-endian number; the compiler makes it a single load.
func word[T string | []byte](s T) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// plainWord reports whether every byte of w is a plainByte, eight at a time:
// a byte is not if its high bit is set, if it is below 0x20, or if it equals
// one of the five escaped characters. Each test sets the high bit of the
// bytes that fail it, and of no other byte when none does.
func plainWord(w uint64) bool {
	bad := w | (w-0x20*lowBits)&^w |
		hasZeroByte(w^('"'*lowBits)) | hasZeroByte(w^('\\'*lowBits)) |
		hasZeroByte(w^('<'*lowBits)) | hasZeroByte(w^('>'*lowBits)) | hasZeroByte(w^('&'*lowBits))
	return bad&highBits == 0
}

// hasZeroByte sets the high bit of the zero bytes of x, and of others only
// above a zero byte.
func hasZeroByte(x uint64) uint64 { return (x - lowBits) &^ x }
