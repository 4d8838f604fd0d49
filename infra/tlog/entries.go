package tlog

import (
	"context"
	"io"
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
// binary frames when Accept asks for entry.MediaType. The stream ends early
// only at the end of the log, or on a failure after the first page, which is
// logged: an auditor notices the missing entries against the checkpoint's
// size.
func (s *Service) serveEntries(w http.ResponseWriter, r *http.Request) {
	q, err := parseEntriesQuery(r)
	if err != nil {
		problem.Write(w, r, s.cfg.Logger, err)
		return
	}
	records, err := s.log.ReadLog(r.Context(), q.start, page(q.limit))
	if err != nil {
		problem.Write(w, r, s.cfg.Logger, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	if q.frames {
		w.Header().Set("Content-Type", entry.MediaType)
	}
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Cache-Control", "no-cache")
	if err := s.stream(r.Context(), w, records, q); err != nil && r.Context().Err() == nil {
		s.cfg.Logger.ErrorContext(r.Context(), "log entries stream cut short", "start", q.start, "err", err)
	}
}

// stream writes records and the pages after them until q.limit entries are
// written or the log ends. The next page is read from the log while the one
// before is written, so that neither the database nor the client waits for
// the other.
func (s *Service) stream(ctx context.Context, w http.ResponseWriter, records []store.Record, q entriesQuery) error {
	rc := http.NewResponseController(w)
	out := lines{decoded: q.decoded, frames: q.frames}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for p := range s.pages(ctx, records, q.limit) {
		if p.err != nil {
			return p.err
		}
		if err := out.write(w, p.records); err != nil {
			return err
		}
		_ = rc.Flush()
	}
	return nil
}

// logPage is a page of log entries as read, or why reading stopped.
type logPage struct {
	records []store.Record
	err     error
}

// pages sends first, then reads and sends the pages after it, one page ahead
// of the reader, until limit entries were sent, the log ends, a read fails
// or ctx ends.
func (s *Service) pages(ctx context.Context, first []store.Record, limit uint64) <-chan logPage {
	out := make(chan logPage, 1)
	go func() {
		defer close(out)
		for p := (logPage{records: first}); ; {
			select {
			case out <- p:
			case <-ctx.Done():
				return
			}
			n := uint64(len(p.records))
			if p.err != nil || n < uint64(page(limit)) || n == limit {
				return
			}
			limit -= n
			p.records, p.err = s.log.ReadLog(ctx, p.records[n-1].Index+1, page(limit))
		}
	}()
	return out
}

// lines writes records as entry lines or frames, in chunks of about
// flushBytes.
type lines struct {
	decoded, frames bool
	buf, leaf       []byte
}

func (l *lines) write(w io.Writer, records []store.Record) error {
	for i, rec := range records {
		if err := l.append(rec); err != nil {
			return err
		}
		if len(l.buf) >= flushBytes || i == len(records)-1 {
			if _, err := w.Write(l.buf); err != nil {
				return err
			}
			l.buf = l.buf[:0]
		}
	}
	return nil
}

// append appends the line or frame of rec to the buffer.
func (l *lines) append(rec store.Record) error {
	var err error
	if l.frames {
		l.buf, err = entry.AppendFrame(l.buf, rec)
		return err
	}
	if l.leaf, err = leaf.Append(l.leaf[:0], rec); err != nil {
		return err
	}
	if l.decoded {
		l.buf = entry.AppendLine(l.buf, rec, l.leaf)
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
