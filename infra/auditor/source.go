package auditor

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
	"github.com/erasmus-ledger/ledger/infra/tlog/entry"
)

// checkpointSuffix names the file beside an archive of entries that holds
// the signed checkpoint the archive was audited against.
const checkpointSuffix = ".checkpoint"

// source is the entries stream an audit reads, from the ledger or from an
// archive, and the archive it writes on the way, if any.
type source struct {
	io.Reader
	closers []func() error
	save    *saver
}

// openSource opens the entries to audit up to entry size, excluded: the
// archive at o.Entries if set, continued from the ledger after its last
// record if c is not nil; else the ledger's. With o.SaveEntries the entries
// read are also written there.
func openSource(ctx context.Context, o Options, c *audit.Client, size uint64) (*source, error) {
	s := &source{}
	if o.Entries == "" {
		body := c.Entries(ctx, 0, size)
		s.Reader, s.closers = body, append(s.closers, body.Close)
	} else {
		f, err := os.Open(o.Entries)
		if err != nil {
			return nil, fmt.Errorf("entries: %w", err)
		}
		cont := &continued{archive: bufio.NewReaderSize(f, 1<<20), size: size}
		if c != nil {
			cont.fetch = func(start uint64) io.ReadCloser { return c.Entries(ctx, start, size) }
		}
		s.Reader, s.closers = cont, append(s.closers, f.Close, cont.Close)
	}
	if o.SaveEntries != "" {
		sv, err := newSaver(o.SaveEntries, size)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.save, s.Reader = sv, io.TeeReader(s.Reader, sv)
	}
	return s, nil
}

// Close releases the source; an archive being written that was not
// finished is removed.
func (s *source) Close() error {
	var errs []error
	for _, c := range s.closers {
		errs = append(errs, c())
	}
	if s.save != nil {
		s.save.abandon()
	}
	return errors.Join(errs...)
}

// continued reads an archive of entries, then, if fetch is set, the entries
// after the archive's last record up to size from the ledger. An archive that
// ends inside a line gets a newline, so that its last line stays a line of
// its own (and is reported if it is cut short); one that ends inside a binary
// frame is not continued, so that the cut frame is reported.
type continued struct {
	archive io.Reader
	size    uint64
	fetch   func(start uint64) io.ReadCloser
	count   entry.Counter
	ended   bool
	rest    io.ReadCloser
}

func (c *continued) Read(p []byte) (int, error) {
	if !c.ended {
		n, err := c.archive.Read(p)
		c.count.Feed(p[:n], math.MaxUint64)
		if err != io.EOF {
			return n, err
		}
		c.ended = true
		if n > 0 {
			return n, nil
		}
	}
	if c.count.InLine() && len(p) > 0 {
		p[0] = '\n'
		c.count.Feed(p[:1], math.MaxUint64)
		return 1, nil
	}
	if c.fetch == nil || c.count.InFrame() || c.count.Records >= c.size {
		return 0, io.EOF
	}
	if c.rest == nil {
		c.rest = c.fetch(c.count.Records)
	}
	return c.rest.Read(p)
}

// Close stops fetching.
func (c *continued) Close() error {
	if c.rest == nil {
		return nil
	}
	return c.rest.Close()
}

// saver writes the first records of what passes through it to an archive:
// a temporary file beside path, which finish renames to path once the audit
// has read what it reads.
type saver struct {
	path  string
	f     *os.File
	w     *bufio.Writer
	count entry.Counter
	limit uint64 // records to write
}

func newSaver(path string, records uint64) (*saver, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("save entries: %w", err)
	}
	return &saver{path: path, f: f, w: bufio.NewWriterSize(f, 1<<20), limit: records}, nil
}

// Write writes p up to the end of the last record wanted, and drops the rest.
func (s *saver) Write(p []byte) (int, error) {
	keep := s.count.Feed(p, s.limit)
	if _, err := s.w.Write(p[:keep]); err != nil {
		return 0, fmt.Errorf("save entries: %w", err)
	}
	return len(p), nil
}

// finish completes the archive and writes the signed checkpoint msg beside it.
func (s *saver) finish(msg []byte) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("save entries: %w", err)
	}
	if err := s.f.Close(); err != nil {
		return fmt.Errorf("save entries: %w", err)
	}
	if err := os.Rename(s.f.Name(), s.path); err != nil {
		return fmt.Errorf("save entries: %w", err)
	}
	s.f = nil
	return writeAtomically(s.path+checkpointSuffix, msg)
}

// abandon removes an archive that was not finished.
func (s *saver) abandon() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
	}
}
