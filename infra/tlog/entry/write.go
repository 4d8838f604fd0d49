// Package entry writes and reads the lines of the log's entries stream
// (GET /v1/log/entries, and archives of it): NDJSON, one entry a line, in log
// order. A line is a JSON object whose first two members are always
//
//	{"index":<log index>,"leaf":"<standard base64 of the leaf bytes>", ...
//
// followed by the leaf decoded for people: id, stream, version, type, schema,
// recorded_at (RFC 3339, UTC), meta, and data (the stored payload as JSON, or
// data_base64 when the stored bytes are not JSON); lines written for auditors
// may stop after the leaf. Only index and leaf count for verification; the
// rest repeats what the leaf already says.
package entry

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// AppendLeafLine appends the line of entry index, whose leaf is l, without
// the decoded members: all an auditor needs, at a fraction of the cost.
func AppendLeafLine(dst []byte, index uint64, l []byte) []byte {
	return append(appendLeaf(dst, index, l), "}\n"...)
}

// AppendLine appends the line for record r, whose leaf is l, ending in a newline.
func AppendLine(dst []byte, r store.Record, l []byte) []byte {
	dst = appendLeaf(dst, r.Index, l)
	dst = appendString(dst, "id", r.ID)
	dst = appendString(dst, "stream", r.Stream)
	dst = append(dst, `,"version":`...)
	dst = strconv.AppendUint(dst, r.Version, 10)
	dst = appendString(dst, "type", r.Type)
	dst = append(dst, `,"schema":`...)
	dst = strconv.AppendInt(dst, int64(r.Schema), 10)
	dst = append(dst, `,"recorded_at":"`...)
	dst = append(r.RecordedAt.UTC().AppendFormat(dst, time.RFC3339Nano), '"')
	dst = appendMeta(append(dst, `,"meta":{`...), r.Meta)
	dst = appendData(append(dst, '}'), r.Data)
	return append(dst, "}\n"...)
}

// appendLeaf opens a line with its index and leaf members.
func appendLeaf(dst []byte, index uint64, l []byte) []byte {
	dst = append(dst, `{"index":`...)
	dst = strconv.AppendUint(dst, index, 10)
	dst = append(dst, `,"leaf":"`...)
	return append(base64.StdEncoding.AppendEncode(dst, l), '"')
}

// appendString appends the member `,"name":"value"`.
func appendString(dst []byte, name, value string) []byte {
	dst = append(dst, `,"`...)
	dst = append(dst, name...)
	dst = append(dst, `":"`...)
	return append(appendEscaped(dst, value), '"')
}

// appendMeta appends the non-empty metadata fields as JSON members.
func appendMeta(dst []byte, m store.Metadata) []byte {
	sep := ""
	for _, f := range [...][2]string{{"actor", m.Actor}, {"correlation_id", m.CorrelationID}, {"causation_id", m.CausationID}, {"idempotency_key", m.IdempotencyKey}} {
		if f[1] == "" {
			continue
		}
		dst = append(dst, sep+`"`...)
		dst = append(dst, f[0]...)
		dst = append(dst, `":"`...)
		dst = append(appendEscaped(dst, f[1]), '"')
		sep = ","
	}
	return dst
}

// appendData appends the payload as a "data" member if it is JSON, else as
// "data_base64". JSON spanning lines is compacted so the line stays one line.
func appendData(dst []byte, data []byte) []byte {
	if json.Valid(data) {
		member := append(dst, `,"data":`...)
		if !bytes.ContainsAny(data, "\r\n") {
			return append(member, data...)
		}
		buf := bytes.NewBuffer(member)
		if json.Compact(buf, data) == nil {
			return buf.Bytes()
		}
	}
	dst = append(dst, `,"data_base64":"`...)
	return append(base64.StdEncoding.AppendEncode(dst, data), '"')
}

// appendEscaped appends s as the inside of a JSON string. Plain printable
// ASCII, the usual case for IDs and types, is copied; anything else goes
// through encoding/json.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			b, _ := json.Marshal(s)
			return append(dst, b[1:len(b)-1]...)
		}
	}
	return append(dst, s...)
}
