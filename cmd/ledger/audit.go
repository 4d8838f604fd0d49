package main

import (
	"context"
	"errors"
	"io"
	"os"
	"time"

	"github.com/erasmus-ledger/ledger/infra/auditor"
)

// errDiscrepancies ends an audit that found something wrong.
var errDiscrepancies = errors.New("the audit found discrepancies (see the report)")

func runAudit(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var o auditor.Options
	fs := newFlagSet("audit", "Audit a ledger as an outsider who trusts only its checkpoint key: verify the signed checkpoint,\n"+
		"read every entry and recompute the Merkle root, prove that the log extends the checkpoint of the previous\n"+
		"audit, replay every event into the read models and compare them with what the ledger serves. Exits\n"+
		"non-zero on any discrepancy.", stderr)
	fs.StringVar(&o.URL, "url", "", "the ledger's base URL, e.g. https://ledger.example.eu")
	fs.StringVar(&o.Key, "key", "", "the checkpoint verifier key to trust (default: the one pinned in --state, or on a first audit the one the ledger serves)")
	fs.StringVar(&o.State, "state", "", "file that remembers the key, the last checkpoint audited and each entry's fingerprint between audits")
	fs.StringVar(&o.Entries, "entries", "", "audit this archived entries stream (NDJSON) instead of fetching it; with --url, entries after it are fetched")
	fs.StringVar(&o.SaveEntries, "save-entries", "", "archive the entries audited to this file, and the checkpoint beside it (<file>.checkpoint)")
	fs.BoolVar(&o.Full, "full", false, "compare every credential (and with --token every organisation and transcript) with the ledger, not a sample")
	fs.IntVar(&o.Sample, "sample", auditor.DefaultSample, "how many of each to compare with the ledger without --full")
	fs.StringVar(&o.Token, "token", "", "an API token with the auditor role, to compare organisations and transcripts too")
	replay := fs.Bool("replay", true, "replay every event into the read models and compare them with the ledger; false verifies the log alone")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	o.SkipReplay = !*replay
	if o.URL == "" && o.Entries == "" {
		return usageError{"audit needs --url, --entries or both"}
	}
	progress := auditor.NewProgress(stderr, isTerminal(stderr), time.Now)
	o.Progress, o.Comparing = progress.Update, progress.Compared
	res, err := auditor.Run(ctx, o)
	progress.Done()
	if err != nil {
		return err
	}
	res.WriteReport(stdout)
	if !res.OK() {
		return errDiscrepancies
	}
	return nil
}

// isTerminal reports whether w is a terminal, where progress is redrawn in
// place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
