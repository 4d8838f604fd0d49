// Command ledger runs the learning-outcome recognition ledger. See `ledger help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledger:", err)
		os.Exit(exitCode(err))
	}
}

// command is one subcommand of ledger.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, env []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the ledger service", runServe},
		{"demo", "run the service with realistic sample data, and print tokens and URLs to try", runDemo},
		{"token", "mint an API token with the ledger's own key (development, embedded setup)", runToken},
		{"migrate", "apply the database migrations and exit", runMigrate},
		{"rebuild", "rebuild read models from the log into fresh copies, then switch over", runRebuild},
		{"audit", "audit a ledger as an outsider: checkpoint, every entry, history, replay", runAudit},
	}
}

// run dispatches to the subcommand named by args[0].
func run(ctx context.Context, args []string, env []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], env, stdout, stderr)
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
	}
	usage(stderr)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "ledger: the Erasmus+ learning-outcome recognition ledger\n\nUsage: ledger <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `ledger <command> -h` for a command's flags. Every flag can also be set through the\nenvironment as LEDGER_<FLAG>, e.g. LEDGER_DATABASE_URL for --database-url.")
}

// usageError is a mistake on the command line; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	if _, ok := err.(usageError); ok {
		return 2
	}
	return 1
}
