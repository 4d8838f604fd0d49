package entry_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

func record(data string) store.Record {
	return store.Record{
		Index: 41, ID: "ev-1", Stream: "credential-7", Version: 3, Type: "credential.revoked", Schema: 2,
		Data:       []byte(data),
		Meta:       store.Metadata{Actor: "E10208051", IdempotencyKey: "k-1"},
		RecordedAt: time.Date(2025, 6, 1, 12, 0, 0, 123456000, time.UTC),
	}
}

// decoded is a line as a client reads it with encoding/json.
type decoded struct {
	Index      uint64            `json:"index"`
	Leaf       []byte            `json:"leaf"`
	ID         string            `json:"id"`
	Stream     string            `json:"stream"`
	Version    uint64            `json:"version"`
	Type       string            `json:"type"`
	Schema     int               `json:"schema"`
	RecordedAt time.Time         `json:"recorded_at"`
	Meta       map[string]string `json:"meta"`
	Data       json.RawMessage   `json:"data"`
	DataBase64 []byte            `json:"data_base64"`
}

func TestAppendLine(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		edit       func(*store.Record)
		data       string
		dataBase64 []byte
	}{
		"json payload":            {data: `{"reason":"fraud"}`},
		"json over lines":         {edit: func(r *store.Record) { r.Data = []byte("{\n  \"a\": [1,\n 2]\r\n}") }, data: `{"a":[1,2]}`},
		"payload that is no json": {edit: func(r *store.Record) { r.Data = []byte{0xff, '\n', '{'} }, dataBase64: []byte{0xff, '\n', '{'}},
		"escapes in strings": {edit: func(r *store.Record) {
			r.ID, r.Stream, r.Meta.Actor = "a\"b\\c", "ström\n\x01", "bad \xff utf-8"
		}, data: `{"reason":"fraud"}`},
		"no metadata": {edit: func(r *store.Record) { r.Meta = store.Metadata{} }, data: `{"reason":"fraud"}`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := record(`{"reason":"fraud"}`)
			if c.edit != nil {
				c.edit(&r)
			}
			l, err := leaf.Encode(r)
			if err != nil {
				t.Fatal(err)
			}
			line := entry.AppendLine([]byte("prefix"), r, l)
			line, ok := bytes.CutPrefix(line, []byte("prefix"))
			if !ok || bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
				t.Fatalf("not one line appended: %q", line)
			}
			var got decoded
			if err := json.Unmarshal(line, &got); err != nil {
				t.Fatalf("line is not JSON: %v\n%s", err, line)
			}
			meta := map[string]string{}
			for k, v := range map[string]string{"actor": r.Meta.Actor, "idempotency_key": r.Meta.IdempotencyKey} {
				if v != "" {
					meta[k] = strings.ToValidUTF8(v, "\uFFFD")
				}
			}
			want := decoded{
				Index: r.Index, Leaf: l, ID: r.ID, Stream: r.Stream, Version: r.Version, Type: r.Type, Schema: r.Schema,
				RecordedAt: r.RecordedAt, Meta: meta, DataBase64: c.dataBase64,
			}
			if c.data != "" {
				want.Data = json.RawMessage(c.data)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("line decodes to\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestAppendLeafLine(t *testing.T) {
	r := record(`{}`)
	l, _ := leaf.Encode(r)
	line := entry.AppendLeafLine(nil, 41, l)
	var got map[string]any
	if err := json.Unmarshal(line, &got); err != nil || len(got) != 2 || line[len(line)-1] != '\n' {
		t.Fatalf("leaf line %q: %v, members %v", line, err, got)
	}
	e, err := entry.Parse(bytes.TrimSuffix(line, []byte("\n")))
	if err != nil || e.Index != 41 || !bytes.Equal(e.Leaf, l) {
		t.Fatalf("Parse = %d, %x, %v", e.Index, e.Leaf, err)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	r := record(`{"reason":"fraud"}`)
	l, _ := leaf.Encode(r)
	b64 := base64.StdEncoding.EncodeToString(l)
	escaped := strings.ReplaceAll(b64, "/", `\/`)
	good := map[string]string{
		"as written":        string(bytes.TrimSuffix(entry.AppendLine(nil, r, l), []byte("\n"))),
		"members reordered": `{"leaf":"` + b64 + `","id":"x","index":41}`,
		"spaces":            `{ "index" : 41 , "leaf" : "` + b64 + `" }`,
		"escaped slashes":   `{"index":41,"leaf":"` + escaped + `"}`,
	}
	for name, line := range good {
		t.Run(name, func(t *testing.T) {
			e, err := entry.Parse([]byte(line))
			if err != nil || e.Index != 41 || !bytes.Equal(e.Leaf, l) {
				t.Fatalf("Parse = %d, %x, %v; want 41 and the leaf", e.Index, e.Leaf, err)
			}
		})
	}
	bad := map[string]string{
		"no index":         `{"leaf":"` + b64 + `"}`,
		"no leaf":          `{"index":41}`,
		"leaf not base64":  `{"index":41,"leaf":"*"}`,
		"negative index":   `{"index":-1,"leaf":"` + b64 + `"}`,
		"not closed":       `{"index":41,"leaf":"` + b64 + `"`,
		"not json":         `index 41`,
		"leading zero":     `{"index":041,"leaf":"` + b64 + `"}`,
		"index not number": `{"index":"41","leaf":"` + b64 + `"}`,
	}
	for name, line := range bad {
		t.Run(name, func(t *testing.T) {
			if _, err := entry.Parse([]byte(line)); !errors.Is(err, entry.ErrMalformed) {
				t.Fatalf("Parse = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestReader(t *testing.T) {
	t.Parallel()
	var stream []byte
	for i := range uint64(3) {
		r := record(`{}`)
		r.Index = i
		l, _ := leaf.Encode(r)
		stream = entry.AppendLine(stream, r, l)
	}
	rd := entry.NewReader(bytes.NewReader(append(stream, "garbage\n"...)))
	for i := range uint64(3) {
		e, err := rd.Next()
		if err != nil || e.Index != i {
			t.Fatalf("entry %d: %d, %v", i, e.Index, err)
		}
	}
	if _, err := rd.Next(); err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("garbage line: %v, want an error naming line 4", err)
	}
	rd = entry.NewReader(bytes.NewReader(stream))
	for range 3 {
		if _, err := rd.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := rd.Next(); err != io.EOF {
		t.Fatalf("after the last line: %v, want io.EOF", err)
	}
}

// benchRecord is a record of typical size: a mobility event with a sealed field.
func benchRecord() store.Record {
	return record(`{"participant_id":"p-123","sealed":"` + strings.Repeat("QUJD", 60) + `","host":{"oid":"E10208051","country":"IT"}}`)
}

func BenchmarkAppendLine(b *testing.B) {
	r := benchRecord()
	l, _ := leaf.Encode(r)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = entry.AppendLine(buf[:0], r, l)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

func BenchmarkParse(b *testing.B) {
	r := benchRecord()
	l, _ := leaf.Encode(r)
	line := bytes.TrimSuffix(entry.AppendLine(nil, r, l), []byte("\n"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := entry.Parse(line); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
