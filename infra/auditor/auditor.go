// Package auditor is `ledger audit`: an audit of a ledger by someone outside
// its operator's control, who trusts nothing but the checkpoint verifier key.
// It fetches the latest signed checkpoint and verifies its signature, reads
// every entry (from the ledger, or from an archive on disk) and recomputes
// the Merkle tree (package infra/tlog/audit), checks that the log extends the
// checkpoint remembered from the previous audit, replays every event through
// the ledger's own read-model folds in memory, and compares the result with
// what the ledger's read endpoints serve, for a sample or for everything.
//
// Between audits it keeps a state file: the pinned key, the last checkpoint
// audited, and a fingerprint of every entry, so that a later audit not only
// proves that the log was rewritten but says where.
package auditor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
)

// DefaultSample is how many items of each read model an audit compares with
// the ledger unless told to compare all.
const DefaultSample = 25

// Options say what to audit and how.
type Options struct {
	// URL is the ledger's base URL. Without it the audit is of Entries alone,
	// offline.
	URL string
	// Key is the checkpoint verifier key to trust. Without it the key pinned
	// in State is used, or, on a first audit, the key the ledger serves.
	Key string
	// State is the state file, read before and written after an audit that
	// finds nothing wrong; none is kept if it is "".
	State string
	// Entries, if set, is an archive of the entries stream to audit instead
	// of fetching it; with URL, entries after the archive's last are fetched.
	// Offline, the checkpoint is read from the file beside it named
	// Entries + ".checkpoint", as SaveEntries writes it.
	Entries string
	// SaveEntries, if set, is where the entries audited are archived, with
	// the checkpoint beside them.
	SaveEntries string
	// Full compares every item of the read models with the ledger, not a
	// sample of Sample (default DefaultSample) of each.
	Full   bool
	Sample int
	// SkipReplay verifies the log alone: the events are not folded into the
	// read models, and nothing is compared with the ledger.
	SkipReplay bool
	// Token is an API token with the auditor role; with it transcripts and
	// organisations are compared too, besides credentials, which are public.
	Token string
	// HTTP makes the requests; default a client with generous timeouts.
	HTTP *http.Client
	// Progress, if set, is told how many entries were read, of how many.
	Progress func(read, total uint64)
	// Comparing, if set, is told how many items of a read model (what, such
	// as "credentials") were compared with the ledger, of how many.
	Comparing func(what string, done, total int)
	// Now is the clock; default time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Sample <= 0 {
		o.Sample = DefaultSample
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, ResponseHeaderTimeout: time.Minute}}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// The ways an audit comes to trust a verifier key, as Result.KeySource says.
const (
	KeyGiven    = "given"
	KeyPinned   = "pinned in the state file"
	KeyFirstUse = "served by the ledger, trusted on first use"
)

// Result is what an audit found.
type Result struct {
	// Key is the verifier key trusted, and KeySource how it came to be.
	Key, KeySource string
	// Checkpoint is the signed checkpoint audited against.
	Checkpoint []byte
	// Remembered is the checkpoint of the previous audit, if any.
	Remembered *checkpoint.Checkpoint
	// Report is the verification of the checkpoint and the entries.
	Report *audit.Report
	// Replayed counts the events folded into the read models.
	Replayed uint64
	// Compared counts the items compared with the ledger, by read model.
	Compared map[string]int
	// Findings are what replaying and comparing found wrong.
	Findings []audit.Discrepancy
	// Suppressed counts replay findings beyond those listed.
	Suppressed uint64
	// Elapsed is how long the audit took.
	Elapsed time.Duration
	// StateSaved and Archived name the files written, if any.
	StateSaved, Archived string

	replay *replay
}

// Discrepancies lists everything the audit found wrong.
func (r *Result) Discrepancies() []audit.Discrepancy {
	return append(append([]audit.Discrepancy(nil), r.Report.Discrepancies...), r.Findings...)
}

// OK reports whether the audit found nothing wrong.
func (r *Result) OK() bool {
	return r.Report.OK() && r.Report.Suppressed == 0 && len(r.Findings) == 0 && r.Suppressed == 0
}

// Run audits as o says. Its error is for an audit that could not be done (an
// unreachable ledger, a missing file); what an audit finds wrong is in the
// result.
func Run(ctx context.Context, o Options) (*Result, error) {
	o = o.withDefaults()
	start := o.Now()
	if o.URL == "" && o.Entries == "" {
		return nil, errors.New("audit: nothing to audit: give the ledger's URL or an archive of its entries")
	}
	st, err := loadState(o.State)
	if err != nil {
		return nil, err
	}
	var client *audit.Client
	if o.URL != "" {
		// An archive keeps to NDJSON lines, the form that people and other
		// tools read; an audit that keeps none reads the faster binary frames.
		client = &audit.Client{URL: o.URL, HTTP: o.HTTP, Lines: o.SaveEntries != ""}
	}
	res := &Result{Compared: map[string]int{}}
	v, err := o.trust(ctx, st, client, res)
	if err != nil {
		return nil, err
	}
	if err := o.verify(ctx, client, v, st, res); err != nil {
		return nil, err
	}
	if err := o.compare(ctx, client, res); err != nil {
		return nil, err
	}
	if err := o.remember(res); err != nil {
		return nil, err
	}
	res.Elapsed = o.Now().Sub(start)
	return res, nil
}

// trust settles what the audit goes by: the verifier key, the checkpoint
// of the previous audit, and the checkpoint to audit against.
func (o Options) trust(ctx context.Context, st State, c *audit.Client, res *Result) (note.Verifier, error) {
	var err error
	if res.Key, res.KeySource, err = o.key(ctx, st, c); err != nil {
		return nil, err
	}
	v, err := note.NewVerifier(res.Key)
	if err != nil {
		return nil, fmt.Errorf("audit: the verifier key: %w", err)
	}
	if res.Remembered, err = st.remembered(v); err != nil {
		return nil, err
	}
	if res.Checkpoint, err = o.checkpoint(ctx, c); err != nil {
		return nil, err
	}
	return v, nil
}

// remember writes the state file after an audit that found nothing wrong.
func (o Options) remember(res *Result) error {
	if !res.OK() || o.State == "" {
		return nil
	}
	next := State{Key: res.Key, Checkpoint: string(res.Checkpoint), Fingerprints: res.Report.Fingerprints, AuditedAt: o.Now().UTC()}
	if err := next.save(o.State); err != nil {
		return fmt.Errorf("audit: save state: %w", err)
	}
	res.StateSaved = o.State
	return nil
}

// key chooses the verifier key to trust and says why.
func (o Options) key(ctx context.Context, st State, c *audit.Client) (key, source string, err error) {
	switch {
	case o.Key != "" && st.Key != "" && o.Key != st.Key:
		return "", "", fmt.Errorf("audit: the key given is not the key pinned in %s (%s); if the ledger's key really changed, start a new state file", o.State, st.Key)
	case o.Key != "":
		return o.Key, KeyGiven, nil
	case st.Key != "":
		return st.Key, KeyPinned, nil
	case c == nil:
		return "", "", errors.New("audit: an offline audit needs the verifier key, given or pinned in the state file")
	}
	if key, err = c.Key(ctx); err != nil {
		return "", "", fmt.Errorf("audit: fetch the verifier key: %w", err)
	}
	return key, KeyFirstUse, nil
}

// checkpoint is the signed checkpoint to audit against: the ledger's latest,
// or offline the one saved beside the archive.
func (o Options) checkpoint(ctx context.Context, c *audit.Client) ([]byte, error) {
	if c == nil {
		msg, err := os.ReadFile(o.Entries + checkpointSuffix)
		if err != nil {
			return nil, fmt.Errorf("audit: the checkpoint of the archive: %w", err)
		}
		return msg, nil
	}
	msg, err := c.Checkpoint(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: fetch the checkpoint: %w", err)
	}
	return msg, nil
}

// verify verifies the checkpoint and every entry, replaying the events on
// the way, and archives the entries if asked to.
func (o Options) verify(ctx context.Context, c *audit.Client, v note.Verifier, st State, res *Result) error {
	var size uint64
	if cp, err := checkpoint.Open(res.Checkpoint, v); err == nil {
		size = cp.Size
	}
	src, err := openSource(ctx, o, c, size)
	if err != nil {
		return err
	}
	defer src.Close()
	in := audit.Input{Checkpoint: res.Checkpoint, Verifier: v, Entries: src, Remembered: res.Remembered,
		RememberedFingerprints: st.Fingerprints, Progress: o.Progress}
	if c != nil {
		in.Prover = c
	}
	if !o.SkipReplay {
		res.replay = startReplay(ctx)
		in.Records = res.replay.feed
	}
	res.Report, err = audit.Verify(ctx, in)
	res.replayed()
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if src.save == nil {
		return nil
	}
	if err := src.save.finish(res.Checkpoint); err != nil {
		return err
	}
	res.Archived = o.SaveEntries
	return nil
}

// replayed waits for the replay, if any, to fold every event fed to it, and
// takes in what it found.
func (r *Result) replayed() {
	if r.replay == nil {
		return
	}
	r.replay.wait()
	r.Replayed, r.Suppressed = r.replay.events, r.replay.suppressed
	r.Findings = append(r.Findings, r.replay.findings...)
}
