package auditor

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestContinued(t *testing.T) {
	tests := []struct {
		name, archive string
		size          uint64
		fetch         bool
		want          string
		from          uint64 // where fetching must start
	}{
		{name: "archive alone", archive: "a\nb\n", size: 2, want: "a\nb\n"},
		{name: "archive continued", archive: "a\nb\n", size: 4, fetch: true, want: "a\nb\nL2\nL3\n", from: 2},
		{name: "archive cut short keeps its last line apart", archive: "a\nb", size: 4, fetch: true, want: "a\nb\nL2\nL3\n", from: 2},
		{name: "archive beyond the size", archive: "a\nb\nc\n", size: 2, fetch: true, want: "a\nb\nc\n"},
		{name: "offline archive shorter than the size", archive: "a\n", size: 3, want: "a\n"},
		{name: "archive of frames continued", archive: "\x00\x00\x00\x01a\x00\x00\x00\x00", size: 3, fetch: true,
			want: "\x00\x00\x00\x01a\x00\x00\x00\x00L2\n", from: 2},
		{name: "archive cut inside a frame is not continued", archive: "a\n\x00\x00\x00\x02a", size: 4, fetch: true,
			want: "a\n\x00\x00\x00\x02a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &continued{archive: iotest.OneByteReader(strings.NewReader(tc.archive)), size: tc.size}
			var from uint64 = 1 << 62
			if tc.fetch {
				c.fetch = func(start uint64) io.ReadCloser {
					from = start
					var b strings.Builder
					for i := start; i < tc.size; i++ {
						b.WriteString("L" + string(rune('0'+i)) + "\n")
					}
					return io.NopCloser(strings.NewReader(b.String()))
				}
			}
			got, err := io.ReadAll(c)
			if err != nil || string(got) != tc.want {
				t.Fatalf("read %q, %v; want %q", got, err, tc.want)
			}
			if tc.from != 0 && from != tc.from {
				t.Fatalf("fetched from %d, want %d", from, tc.from)
			}
		})
	}
}

// TestSaverKeepsTheLinesWanted writes a stream in chunks of every size and
// checks that the archive holds exactly its first lines.
func TestSaverKeepsTheLinesWanted(t *testing.T) {
	stream := []byte("one\ntwo\nthree\nfour\n")
	for chunk := 1; chunk <= len(stream); chunk++ {
		path := filepath.Join(t.TempDir(), "entries.ndjson")
		s, err := newSaver(path, 3)
		if err != nil {
			t.Fatal(err)
		}
		for b := stream; len(b) > 0; b = b[min(chunk, len(b)):] {
			if n, err := s.Write(b[:min(chunk, len(b))]); err != nil || n != min(chunk, len(b)) {
				t.Fatal(n, err)
			}
		}
		if err := s.finish([]byte("checkpoint\n")); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		cp, _ := os.ReadFile(path + checkpointSuffix)
		if !bytes.Equal(got, []byte("one\ntwo\nthree\n")) || string(cp) != "checkpoint\n" {
			t.Fatalf("chunks of %d: archive %q, checkpoint %q", chunk, got, cp)
		}
	}
}

func TestSaverAbandoned(t *testing.T) {
	dir := t.TempDir()
	s, err := newSaver(filepath.Join(dir, "entries.ndjson"), 3)
	if err != nil {
		t.Fatal(err)
	}
	s.Write([]byte("one\n"))
	s.abandon()
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("an abandoned archive left %v", left)
	}
}
