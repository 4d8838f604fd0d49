// Command ledgerbench measures the ledger's speed: each scenario runs against
// PostgreSQL and the embedded SQLite store beside a baseline measured in the
// same run, and the report gives every figure as a ratio to it. See
// `ledgerbench -h`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"runtime/trace"
	"syscall"

	"github.com/erasmus-ledger/ledger/infra/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // A second interrupt kills at once, without waiting for the cleanup.
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "ledgerbench:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "ledgerbench:", err)
		os.Exit(1)
	}
}

// run parses args, runs the benchmark and prints its report to stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	cfg := f.config(stderr)
	if err := cfg.Validate(); err != nil {
		return usageError{err.Error()}
	}
	stop, err := startProfiles(f.cpuProfile, f.trace)
	if err != nil {
		return err
	}
	defer stop()
	rep, runErr := bench.Run(ctx, cfg)
	if err := report(stdout, rep, f.json); err != nil {
		return err
	}
	return verdict(rep, runErr, f.strict)
}

// report prints rep as a table or as JSON.
func report(w io.Writer, rep bench.Report, asJSON bool) error {
	if asJSON {
		return rep.WriteJSON(w)
	}
	return rep.WriteTable(w)
}

// verdict is the run's error: an interrupted run, a scenario that broke, or
// with strict a missed target.
func verdict(rep bench.Report, runErr error, strict bool) error {
	switch {
	case errors.Is(runErr, context.Canceled):
		return errors.New("interrupted; the scenarios that finished are reported, and what the run created was removed")
	case runErr != nil:
		return runErr
	case rep.Broken():
		return errors.New("some scenario broke while running (see the table)")
	case strict && rep.Failed():
		return errors.New("some target was missed or some scenario did not run (--strict)")
	}
	return nil
}

// startProfiles writes a CPU profile of this process to cpuPath and an
// execution trace to tracePath, each if not "", until stop is called.
func startProfiles(cpuPath, tracePath string) (stop func(), err error) {
	var stops []func()
	stop = func() {
		for _, s := range stops {
			s()
		}
	}
	for _, p := range []struct {
		path        string
		start       func(io.Writer) error
		stopWriting func()
	}{{cpuPath, pprof.StartCPUProfile, pprof.StopCPUProfile}, {tracePath, trace.Start, trace.Stop}} {
		if p.path == "" {
			continue
		}
		out, err := os.Create(p.path)
		if err == nil {
			err = p.start(out)
		}
		if err != nil {
			stop()
			return nil, err
		}
		stops = append(stops, func() { p.stopWriting(); out.Close() })
	}
	return stop, nil
}
