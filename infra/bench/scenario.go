package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// scenario is a named workload with its target. run measures it on one
// backend; it returns ErrMissing when the ledger lacks the feature.
type scenario struct {
	name    string
	summary string
	target  Target
	run     func(ctx context.Context, e *Env) (Result, error)
	// sqlite, when set, is the target on SQLite instead of target.
	sqlite *Target
}

// targetOn is s's target on backend.
func (s scenario) targetOn(backend string) Target {
	if backend == SQLite && s.sqlite != nil {
		return *s.sqlite
	}
	return s.target
}

// targets describes s's targets for help texts.
func (s scenario) targets() string {
	if s.sqlite == nil {
		return s.target.String()
	}
	return fmt.Sprintf("%s on PostgreSQL, %s on SQLite", s.target, s.sqlite)
}

// scenarios are every scenario, in the order they run and are reported.
func scenarios() []scenario {
	return []scenario{
		{"append", "events/s appended by concurrent writers, one event per call, beside batched COPY/INSERT",
			Target{MinRatio: 0.5, MaxP99: 25 * time.Millisecond}, runAppend, nil},
		{"append-1", "events/s appended by one writer, beside one INSERT and commit per row",
			Target{MinRatio: 0.9}, runAppendOne, nil},
		{"command", "authenticated completions over HTTP, concurrent connections",
			Target{MinFigure: 5000, Unit: "commands/s", MaxP99: 50 * time.Millisecond}, runCommand, nil},
		{"rebuild", "events/s rebuilding every read model from index 0 of the large ledger, beside a plain SELECT of the log",
			Target{MinFigure: 150_000, Unit: "events/s"}, runRebuild, &Target{MinFigure: 100_000, Unit: "events/s"}},
		{"audit", "entries/s of `ledger audit` over loopback on the large ledger, beside SHA-256 of the same leaves in a loop",
			Target{MinFigure: 300_000, Unit: "entries/s"}, runAudit, nil},
		{"verify-id", "GET /v1/credentials/{id}/verification of random credentials of the large ledger, beside a bare handler",
			Target{MinRatio: 0.6}, runVerifyByID, nil},
		{"verify-presented", "POST /v1/verifications of valid credentials, beside a bare handler checking one ES256 signature",
			Target{MinRatio: 0.6}, runVerifyPresented, nil},
		{"memory", "peak RSS of the `ledger serve` process that served the verification scenarios on the large ledger",
			Target{MaxFigure: 200, Unit: "MB"}, runMemory, nil},
	}
}

// Scenario describes a scenario for help texts.
type Scenario struct{ Name, Summary, Target string }

// Scenarios lists every scenario, in the order they run.
func Scenarios() []Scenario {
	var out []Scenario
	for _, s := range scenarios() {
		out = append(out, Scenario{s.name, s.summary, s.targets()})
	}
	return out
}

// order is the position of the scenario named name in scenarios().
func order(name string) int {
	return slices.IndexFunc(scenarios(), func(s scenario) bool { return s.name == name })
}

// selectScenarios returns the scenarios named, in run order; every one when
// names is empty.
func selectScenarios(names []string) ([]scenario, error) {
	all := scenarios()
	if len(names) == 0 {
		return all, nil
	}
	for _, n := range names {
		if order(n) < 0 {
			return nil, fmt.Errorf("unknown scenario %q (known: %s)", n, strings.Join(scenarioNames(all), ", "))
		}
	}
	return slices.DeleteFunc(all, func(s scenario) bool { return !slices.Contains(names, s.name) }), nil
}

func scenarioNames(ss []scenario) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.name)
	}
	return out
}

// runOn runs s on e's backend and judges the result. A missing feature
// gives a NotRun row, any other error an Error row.
func (s scenario) runOn(ctx context.Context, e *Env) Result {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	e.stalled = func(label string, after time.Duration) {
		cancel(fmt.Errorf("%s made no progress for %s", label, after))
	}
	r, err := s.run(ctx, e)
	if err != nil && ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	r.Scenario, r.Backend, r.Target = s.name, e.Backend, s.targetOn(e.Backend)
	switch {
	case errors.Is(err, ErrMissing):
		r.Status, r.Detail = NotRun, strings.TrimPrefix(err.Error(), ErrMissing.Error()+": ")
	case err != nil:
		r.Status, r.Detail = Error, err.Error()
	default:
		r = r.judged()
	}
	return r
}
