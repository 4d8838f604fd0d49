package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/bench"
)

func TestHelpExplainsEveryScenarioAndFlag(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, &out, &errOut); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("run -h = %v, want flag.ErrHelp", err)
	}
	help := errOut.String()
	for _, s := range bench.Scenarios() {
		if !strings.Contains(help, s.Name) || !strings.Contains(help, s.Target) {
			t.Errorf("help lacks scenario %s or its target %q", s.Name, s.Target)
		}
	}
	for _, f := range []string{"-database-url", "-quick", "-scenario", "-backend", "-json", "-strict", "-cpuprofile", "-seed", "-events", "-ledger-binary", "-tmp", "-in-process", "-budget", "-trace"} {
		if !strings.Contains(help, f) {
			t.Errorf("help lacks %s", f)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"--scenario", "append,nope"},
		{"--backend", "mysql"},
		{"extra"},
		{"--events", "many"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, &out, &errOut)
		if !errors.As(err, new(usageError)) {
			t.Errorf("run %q = %v, want a usage error", args, err)
		}
		if out.Len() > 0 {
			t.Errorf("run %q printed a report: %s", args, out.String())
		}
	}
}

func TestListFlagTakesRepeatsAndCommas(t *testing.T) {
	t.Parallel()
	var l listFlag
	for _, v := range []string{"append, command", "memory", ","} {
		if err := l.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	if got := l.String(); got != "append,command,memory" {
		t.Errorf("list = %q", got)
	}
}
