package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/infra/auditor"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// runAudit measures `ledger audit` over loopback against a `ledger serve`
// of the large ledger, beside SHA-256 leaf hashes of the same leaves in a
// loop. With --in-process, both the ledger and the audit run in this
// process.
func runAudit(ctx context.Context, e *Env) (Result, error) {
	if !e.inProcess {
		if ok, err := e.hasCommand(ctx, "audit"); err != nil || !ok {
			return Result{}, orMissing(err, "the ledger command has no audit subcommand")
		}
	}
	l, err := e.largeLedger(ctx)
	if err != nil {
		return Result{}, err
	}
	base, err := hashLeaves(ctx, e, l)
	if err != nil {
		return Result{}, err
	}
	subject, err := audit(ctx, e, l)
	if err != nil {
		return Result{}, err
	}
	return rateResult("entries/s", subject, base, "SHA-256 leaf hashes (tlog.RecordHash) of the same leaves, in memory, in a loop"), nil
}

// orMissing is err if not nil, else a missing feature for the reason given.
func orMissing(err error, reason string) error {
	if err != nil {
		return err
	}
	return missing("%s", reason)
}

// audit runs `ledger audit` once against a ledger serving l, from a fresh
// state, and times it.
func audit(ctx context.Context, e *Env, l *largeLedger) (Measure, error) {
	p, err := e.serve(ctx, l)
	if err != nil {
		return Measure{}, err
	}
	defer p.stop()
	key, err := getText(ctx, p.url()+"/v1/log/key")
	if err != nil {
		return Measure{}, err
	}
	state := filepath.Join(l.loc.Dir, fmt.Sprintf("audit-state-%d.json", time.Now().UnixNano()))
	e.Progress.Printf("ledger audit --url %s: %d entries", p.url(), l.size)
	if e.inProcess {
		return timed(l.size, func() error { return auditHere(ctx, e, p.url(), key, state) })
	}
	cmd, err := e.ledgerCommand(ctx, l, "audit", "--url", p.url(), "--key", key, "--state", state)
	if err != nil {
		return Measure{}, err
	}
	var out strings.Builder
	cmd.Stdout = &out
	m, err := timed(l.size, cmd.Run)
	_, _ = progressLines{p: e.Progress, prefix: "ledger audit"}.Write([]byte(out.String()))
	if err != nil {
		return m, fmt.Errorf("ledger audit: %w: %s", err, strings.TrimSpace(out.String()))
	}
	return m, nil
}

// auditHere runs what `ledger audit` runs, in this process, so that a CPU
// profile of the run covers it.
func auditHere(ctx context.Context, e *Env, url, key, state string) error {
	res, err := auditor.Run(ctx, auditor.Options{URL: url, Key: key, State: state})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	var report strings.Builder
	res.WriteReport(&report)
	_, _ = progressLines{p: e.Progress, prefix: "audit"}.Write([]byte(report.String()))
	if !res.OK() {
		return fmt.Errorf("the audit found discrepancies: %s", report.String())
	}
	return nil
}

// getText GETs url, expecting 200, and returns its body, trimmed.
func getText(ctx context.Context, url string) (string, error) {
	a, err := get(ctx, url)
	if err == nil && a.status != http.StatusOK {
		err = fmt.Errorf("GET %s: status %d: %.300s", url, a.status, a.body)
	}
	return strings.TrimSpace(string(a.body)), err
}

// get GETs url and reads the answer.
func get(ctx context.Context, url string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return answer{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), body: b}, err
}

// waitCheckpoint polls the ledger at base until its signed checkpoint
// covers size entries: until then its proofs, and audits, stop short of the
// log's end. A ledger with no checkpoint route is not waited for.
func waitCheckpoint(ctx context.Context, e *Env, base string, size int) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	e.Progress.Printf("waiting for a checkpoint of all %d entries", size)
	last := time.Now()
	for tick := time.NewTicker(250 * time.Millisecond); ; {
		a, err := get(ctx, base+"/v1/log/checkpoint")
		if err == nil && a.unrouted() {
			return nil
		}
		if cp, err := checkpoint.Parse(a.body); err == nil && cp.Size >= uint64(size) {
			return nil
		} else if err == nil && time.Since(last) > 5*time.Second {
			last = time.Now()
			e.Progress.Printf("checkpoint at %d of %d entries", cp.Size, size)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no checkpoint of %d entries: %w", size, ctx.Err())
		case <-tick.C:
		}
	}
}

// hashBatch is how many leaves the baseline reads and encodes at a time,
// before hashing them.
const hashBatch = 10_000

// hashLeaves reads l's log, encodes each entry's leaf and times the leaf
// hashes alone.
func hashLeaves(ctx context.Context, e *Env, l *largeLedger) (Measure, error) {
	log, err := e.OpenStore(ctx, l.loc, nil)
	if err != nil {
		return Measure{}, err
	}
	defer log.Close()
	e.Progress.Printf("baseline: hashing %d leaves", l.size)
	var m Measure
	for from := uint64(0); from < uint64(l.size); {
		leaves, err := readLeaves(ctx, log, from)
		if err != nil {
			return m, err
		}
		lm, _ := timed(len(leaves), func() error {
			for _, lf := range leaves {
				tlog.RecordHash(lf)
			}
			return nil
		})
		m = m.Plus(lm)
		from += uint64(len(leaves))
	}
	return m, nil
}

// readLeaves reads up to hashBatch entries of log from index from on and
// encodes their leaves.
func readLeaves(ctx context.Context, log store.Log, from uint64) ([][]byte, error) {
	recs, err := log.ReadLog(ctx, from, hashBatch)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("the log ends at %d", from)
	}
	out := make([][]byte, len(recs))
	for i, r := range recs {
		if out[i], err = leaf.Encode(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}
