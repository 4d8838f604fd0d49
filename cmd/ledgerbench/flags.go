package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/infra/bench"
)

// flags are ledgerbench's command line.
type flags struct {
	databaseURL, cpuProfile, trace, ledgerBinary string
	tempDir                                      string
	scenarios, backends                          listFlag
	quick, json, strict, inProcess               bool
	seed                                         int64
	events                                       int
	budget                                       time.Duration
}

// usageError is a mistake on the command line; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// parseFlags reads args; -h prints the usage to stderr and returns flag.ErrHelp.
func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	f := &flags{}
	fs := flag.NewFlagSet("ledgerbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(fs, stderr) }
	fs.StringVar(&f.databaseURL, "database-url", bench.DefaultDatabaseURL, "PostgreSQL database in which each scenario creates, and at the end drops, a schema of its own")
	fs.BoolVar(&f.quick, "quick", false, "scale every workload down to a smoke test of a few minutes (what CI runs)")
	fs.Var(&f.scenarios, "scenario", "run only this `scenario`; repeat the flag or give a comma-separated list (default: all)")
	fs.Var(&f.backends, "backend", "run only on this `backend`, postgres or sqlite; repeatable or comma-separated (default: both)")
	fs.BoolVar(&f.json, "json", false, "print the report as JSON instead of a table")
	fs.BoolVar(&f.strict, "strict", false, "exit with status 1 when a target is missed or a scenario did not run (by default only a broken scenario does)")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of this process (load generators, in-process ledger, baselines) to `file`, for go tool pprof")
	fs.BoolVar(&f.inProcess, "in-process", false, "serve the large ledger from this process instead of a `ledger serve` process, so that --cpuprofile covers the ledger's handlers too (memory then does not run)")
	fs.StringVar(&f.trace, "trace", "", "write an execution trace of this process to `file`, for go tool trace: where it waited (disk, network, locks), which a CPU profile does not show")
	fs.Int64Var(&f.seed, "seed", 1, "seed of the generated data; the same seed generates the same ledger")
	fs.IntVar(&f.events, "events", 0, "events of the large ledger that rebuild, audit, verification and memory run on (default 1,000,000; with --quick 50,000)")
	fs.DurationVar(&f.budget, "budget", 0, "longest time one measured load (one side of one round) may run; it then stops and is measured on what it did (default 1m; with --quick 15s)")
	fs.StringVar(&f.ledgerBinary, "ledger-binary", "", "a built `ledger` command for the scenarios that run it as a process (default: build ./cmd/ledger into the run's temporary directory)")
	fs.StringVar(&f.tempDir, "tmp", "", "directory for the run's temporary files, SQLite databases among them (default: the system's)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return f, nil
}

// config is the run that f asks for, with progress written to progress.
func (f *flags) config(progress io.Writer) bench.Config {
	return bench.Config{DatabaseURL: f.databaseURL, Scenarios: f.scenarios, Backends: f.backends, Quick: f.quick,
		Sizes: bench.Sizes{LedgerEvents: f.events, Budget: f.budget}, Seed: f.seed, LedgerBinary: f.ledgerBinary, InProcess: f.inProcess, TempDir: f.tempDir, Progress: progress}
}

// usage explains the command, its scenarios and its flags.
func usage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprint(w, `Usage: ledgerbench [flags]

ledgerbench measures the ledger's speed. Each scenario runs against PostgreSQL and
the embedded SQLite store, beside a baseline measured in the same run on the same
machine (the database's or the hardware's ceiling for the same work), and the report
gives each figure, its ratio to the baseline, the target and pass or fail. Progress
goes to stderr, the report to stdout. The exit status is 0 when every scenario ran,
whether or not it met its target (see --strict); 1 when one broke; 2 on bad flags.

Scenarios:
`)
	for _, s := range bench.Scenarios() {
		fmt.Fprintf(w, "  %-17s %s\n  %-17s target: %s\n", s.Name, s.Summary, "", s.Target)
	}
	fmt.Fprint(w, "\nFlags:\n")
	fs.PrintDefaults()
}

// listFlag is a flag that may be repeated and takes comma-separated lists.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}
