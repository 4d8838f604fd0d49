package statuslist

import "testing"

// FuzzDecodeStatusList feeds the decoder arbitrary encodedLists: it must not
// panic, must accept only lists of MinSize to MaxSize bits, and what it
// accepts must encode and decode again to the same bits.
func FuzzDecodeStatusList(f *testing.F) {
	s, err := New(MinSize)
	if err != nil {
		f.Fatal(err)
	}
	for _, i := range []int{0, 13, 94567} {
		if err := s.Set(i); err != nil {
			f.Fatal(err)
		}
	}
	encoded, err := s.Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(encoded)
	f.Add("u")
	f.Add("uH4sIAAAAAAAA")
	f.Fuzz(func(t *testing.T, in string) {
		d, err := Decode(in)
		if err != nil {
			return
		}
		if d.Len() < MinSize || d.Len() > MaxSize || d.Len()%8 != 0 {
			t.Fatalf("accepted a list of %d bits", d.Len())
		}
		again, err := d.Encode()
		if err != nil {
			t.Fatal(err)
		}
		e, err := Decode(again)
		if err != nil {
			t.Fatalf("re-encoded list does not decode: %v", err)
		}
		if string(e.b) != string(d.b) {
			t.Fatal("re-encoded list differs")
		}
	})
}
