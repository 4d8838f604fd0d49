package tlog

import (
	"context"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/problem"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// The limits of GET /v1/log/entries, in entries.
const (
	defaultEntries = 1000
	maxEntries     = 100000
	entriesPage    = 5000 // read from the log per query
	flushBytes     = 64 << 10
)

// entriesQuery is what GET /v1/log/entries asks for: at most limit entries
// from start on, as binary frames if frames, else as NDJSON lines with their
// leaves decoded for people unless !decoded.
type entriesQuery struct {
	start, limit    uint64
	decoded, frames bool
}

// serveEntries streams log entries as NDJSON lines (package entry), or as
// binary frames when Accept asks for entry.MediaType. A failure before the
// first entry is written is answered as a problem; the stream ends early only
// at the end of the log, or on a failure after that, which is logged: an
// auditor notices the missing entries against the checkpoint's size.
func (s *Service) serveEntries(w http.ResponseWriter, r *http.Request) {
	q, err := parseEntriesQuery(r)
	if err != nil {
		problem.Write(w, r, s.cfg.Logger, err)
		return
	}
	out := &lines{w: w, decoded: q.decoded, frames: q.frames}
	switch err := s.stream(r.Context(), out, q); {
	case err == nil:
	case !out.started:
		problem.Write(w, r, s.cfg.Logger, err)
	case r.Context().Err() == nil:
		s.cfg.Logger.ErrorContext(r.Context(), "log entries stream cut short", "start", q.start, "err", err)
	}
}

// stream writes q's entries to out until q.limit entries are written or the
// log ends. It reads the log a page at a time, each page with one query
// whose rows are encoded as they are read, so that no page of records is
// ever built.
func (s *Service) stream(ctx context.Context, out *lines, q entriesQuery) error {
	for next, left := q.start, q.limit; left > 0; {
		n, want := 0, page(left)
		err := s.log.ScanLog(ctx, next, want, func(rec *store.Record) error {
			n, next = n+1, rec.Index+1
			return out.add(rec)
		})
		if err != nil {
			return err
		}
		if n < want {
			break
		}
		left -= uint64(n)
	}
	return out.flush()
}

// lines writes records to w as entry lines or frames, in chunks of about
// flushBytes. It sets the response's headers before its first write, so that
// until then the request can still be answered with a problem.
type lines struct {
	w               http.ResponseWriter
	decoded, frames bool
	started         bool // whether the headers were set
	buf, leaf       []byte
}

// add appends the line or frame of rec, and writes the buffer once it holds
// flushBytes.
func (l *lines) add(rec *store.Record) error {
	if err := l.append(rec); err != nil {
		return err
	}
	if len(l.buf) < flushBytes {
		return nil
	}
	return l.write()
}

// flush writes what is buffered and sends it to the client.
func (l *lines) flush() error {
	if err := l.write(); err != nil {
		return err
	}
	return http.NewResponseController(l.w).Flush()
}

// write writes the buffer to the response, after its headers.
func (l *lines) write() error {
	if !l.started {
		l.setHeaders()
	}
	_, err := l.w.Write(l.buf)
	l.buf = l.buf[:0]
	return err
}

// setHeaders sets the headers of a successful answer.
func (l *lines) setHeaders() {
	h := l.w.Header()
	h.Set("Content-Type", "application/x-ndjson")
	if l.frames {
		h.Set("Content-Type", entry.MediaType)
	}
	h.Set("Vary", "Accept")
	h.Set("Cache-Control", "no-cache")
	l.started = true
}

// append appends the line or frame of rec to the buffer.
func (l *lines) append(rec *store.Record) error {
	var err error
	if l.frames {
		l.buf, err = entry.AppendFrame(l.buf, *rec)
		return err
	}
	if l.leaf, err = leaf.Append(l.leaf[:0], *rec); err != nil {
		return err
	}
	if l.decoded {
		l.buf = entry.AppendLine(l.buf, *rec, l.leaf)
	} else {
		l.buf = entry.AppendLeafLine(l.buf, rec.Index, l.leaf)
	}
	return nil
}

// page is how many entries to read next when limit more are wanted.
func page(limit uint64) int { return int(min(limit, entriesPage)) }

// parseEntriesQuery reads start (default 0), limit (default 1000, at most
// 100000) and decoded (default true) from the query, and from Accept
// whether binary frames are wanted.
func parseEntriesQuery(r *http.Request) (entriesQuery, error) {
	zero, def := uint64(0), uint64(defaultEntries)
	q := entriesQuery{decoded: true, frames: acceptsFrames(r.Header.Values("Accept"))}
	var err error
	if q.start, err = uintParam(r, "start", &zero); err != nil {
		return q, err
	}
	if q.limit, err = uintParam(r, "limit", &def); err != nil {
		return q, err
	}
	if q.limit < 1 || q.limit > maxEntries {
		return q, domain.Invalidf("limit must be between 1 and %d", maxEntries)
	}
	if v := r.URL.Query().Get("decoded"); v != "" {
		if q.decoded, err = strconv.ParseBool(v); err != nil {
			return q, domain.Invalidf("query parameter decoded must be true or false")
		}
	}
	return q, nil
}

// acceptsFrames reports whether an Accept header lists entry.MediaType
// with a quality above zero.
func acceptsFrames(accept []string) bool {
	for _, h := range accept {
		for part := range strings.SplitSeq(h, ",") {
			typ, params, err := mime.ParseMediaType(part)
			if err != nil || typ != entry.MediaType {
				continue
			}
			if q, err := strconv.ParseFloat(params["q"], 64); err == nil && q <= 0 {
				continue
			}
			return true
		}
	}
	return false
}
