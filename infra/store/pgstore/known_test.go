package pgstore

import (
	"fmt"
	"testing"
)

func TestKnownVersions(t *testing.T) {
	var k knownVersions
	k.saw("s", 3)
	k.saw("s", 2) // An older version says nothing new.
	tests := []struct {
		stream string
		v      uint64
		want   bool
	}{
		{"s", 0, true}, {"s", 1, true}, {"s", 3, true}, {"s", 4, false},
		{"t", 0, true}, {"t", 1, false},
	}
	for _, tc := range tests {
		if got := k.has(tc.stream, tc.v); got != tc.want {
			t.Errorf("has(%s, %d) = %v, want %v", tc.stream, tc.v, got, tc.want)
		}
	}
	for i := range maxKnown {
		k.saw(fmt.Sprint(i), 1)
	}
	if len(k.m) > maxKnown {
		t.Errorf("knownVersions holds %d streams, more than %d", len(k.m), maxKnown)
	}
}
