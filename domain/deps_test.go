package domain

import (
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// modulePath is the import path of package domain; its own sub-packages are
// the only non-standard packages the domain may import.
const modulePath = "github.com/erasmus-ledger/ledger/domain"

// TestDependencies keeps the domain free of infrastructure: every package it
// imports, directly or not, is in the standard library or in the domain itself.
func TestDependencies(t *testing.T) {
	cmd := exec.CommandContext(t.Context(), "go", "list", "-deps",
		"-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderrOf(err))
	}
	pkgs := strings.Fields(string(out))
	if !slices.Contains(pkgs, modulePath) {
		t.Fatalf("go list did not list %s itself; got %q", modulePath, pkgs)
	}
	if bad := banned(pkgs); len(bad) > 0 {
		t.Errorf("the domain imports packages outside the standard library: %q", bad)
	}
}

func stderrOf(err error) []byte {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.Stderr
	}
	return nil
}

// banned returns the packages of pkgs, all outside the standard library, that
// are not the domain's own.
func banned(pkgs []string) []string {
	var bad []string
	for _, p := range pkgs {
		if p != modulePath && !strings.HasPrefix(p, modulePath+"/") {
			bad = append(bad, p)
		}
	}
	return bad
}

func TestBanned(t *testing.T) {
	tests := []struct {
		name string
		pkgs []string
		want []string
	}{
		{"own packages", []string{modulePath, modulePath + "/mobility"}, nil},
		{"infrastructure", []string{modulePath, "github.com/jackc/pgx/v5"}, []string{"github.com/jackc/pgx/v5"}},
		{"sibling with the same prefix", []string{modulePath + "x"}, []string{modulePath + "x"}},
		{"rest of the module", []string{"github.com/erasmus-ledger/ledger/infra/store"}, []string{"github.com/erasmus-ledger/ledger/infra/store"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := banned(tt.pkgs); !slices.Equal(got, tt.want) {
				t.Errorf("banned(%q) = %q, want %q", tt.pkgs, got, tt.want)
			}
		})
	}
}
