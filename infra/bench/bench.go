// Package bench measures the ledger's speed. Each scenario runs a workload
// against one store backend (PostgreSQL or the embedded SQLite store) beside
// a baseline measured in the same run on the same machine, usually the
// hardware's ceiling for the same work done without the ledger; the report
// gives each figure as a ratio to its baseline, because shared machines are
// too noisy for absolute figures to mean much. cmd/ledgerbench runs it.
package bench

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// DefaultDatabaseURL is the PostgreSQL database the scenarios create their
// schemas in unless Config.DatabaseURL names another.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// SchemaPrefix starts the name of every PostgreSQL schema a run creates,
// followed by the run's ID: "ledgerbench_<id>_<scenario>_<n>".
const SchemaPrefix = "ledgerbench_"

// Config configures a run.
type Config struct {
	// DatabaseURL is the PostgreSQL database in which each scenario creates
	// (and at the end drops) a schema of its own.
	DatabaseURL string
	// Scenarios names the scenarios to run; all when empty.
	Scenarios []string
	// Backends names the backends to run them on; all when empty.
	Backends []string
	// Quick scales every workload down to a smoke test of a few minutes.
	Quick bool
	// Sizes overrides the sizes Quick chooses, field by field, when not zero.
	Sizes Sizes
	// Seed makes the generated data reproducible.
	Seed int64
	// LedgerBinary is a built `ledger` command for the scenarios that run
	// `ledger serve` or `ledger audit`; when empty, Run builds one from the
	// module in the working directory.
	LedgerBinary string
	// InProcess serves the large ledger (verification, audit) from this
	// process instead of a `ledger serve` process, so that a CPU profile of
	// this process covers the ledger's side too. The memory scenario then
	// does not run.
	InProcess bool
	// TempDir holds the run's temporary directories; os.TempDir() when empty.
	TempDir string
	// Progress receives progress lines; nothing is written when nil.
	Progress io.Writer
}

// Run runs the selected scenarios on the selected backends and returns
// their results in scenario order, backends side by side. Everything it
// creates (schemas, directories, processes) is removed before it returns,
// also when ctx is cancelled, in which case it returns the results so far
// and ctx's error.
func Run(ctx context.Context, cfg Config) (Report, error) {
	cfg, scenarios, err := checked(cfg)
	if err != nil {
		return Report{}, err
	}
	rep := Report{ID: strings.ToLower(rand.Text()[:10]), Quick: cfg.Quick, Started: time.Now()}
	tmp, err := os.MkdirTemp(cfg.TempDir, "ledgerbench-"+rep.ID+"-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)
	progress := NewProgress(progressWriter(cfg.Progress), 2*time.Second)
	bin := &binary{path: cfg.LedgerBinary}
	for _, backend := range cfg.Backends {
		env := &Env{Backend: backend, Sizes: sizesFor(cfg), Seed: cfg.Seed, Progress: progress, baseURL: cfg.DatabaseURL,
			tmp: tmp, cleanups: &cleanups{}, fixtures: map[string]any{}, bin: bin, inProcess: cfg.InProcess, schemaPrefix: SchemaPrefix + rep.ID}
		rep.Results = append(rep.Results, runBackend(ctx, env, scenarios)...)
		if ctx.Err() != nil {
			break
		}
	}
	slices.SortStableFunc(rep.Results, func(a, b Result) int { return order(a.Scenario) - order(b.Scenario) })
	rep.Duration = time.Since(rep.Started)
	return rep, ctx.Err()
}

// runBackend runs scenarios on env's backend, then removes what they created.
func runBackend(ctx context.Context, env *Env, scenarios []scenario) []Result {
	var out []Result
	for _, s := range scenarios {
		if ctx.Err() != nil {
			break
		}
		env.Progress.Printf("%s on %s: starting", s.name, env.Backend)
		r := s.runOn(ctx, env)
		if ctx.Err() != nil {
			break // An interrupted scenario has no result.
		}
		env.Progress.Printf("%s on %s: %s", s.name, env.Backend, strings.TrimSuffix(string(r.Status)+": "+r.Detail, ": "))
		out = append(out, r)
	}
	if err := env.cleanups.run(); err != nil {
		env.Progress.Printf("cleaning up %s: %v", env.Backend, err)
	}
	return out
}

// Validate reports a scenario or backend that cfg names and that does not
// exist.
func (cfg Config) Validate() error {
	_, _, err := checked(cfg)
	return err
}

// checked validates cfg, fills its defaults and returns the scenarios it
// selects.
func checked(cfg Config) (Config, []scenario, error) {
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = DefaultDatabaseURL
	}
	if len(cfg.Backends) == 0 {
		cfg.Backends = Backends
	}
	for _, b := range cfg.Backends {
		if !slices.Contains(Backends, b) {
			return cfg, nil, fmt.Errorf("unknown backend %q (known: %s)", b, strings.Join(Backends, ", "))
		}
	}
	s, err := selectScenarios(cfg.Scenarios)
	return cfg, s, err
}

func progressWriter(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// ErrMissing marks a scenario whose feature the ledger does not have yet:
// it is reported as not run, with the reason, and is no failure of the
// harness.
var ErrMissing = errors.New("missing feature")

// missing returns an ErrMissing error with a reason.
func missing(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrMissing, fmt.Sprintf(format, a...))
}
