package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/app"
)

func runToken(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var (
		f                     serveFlags
		roles, org, sub, ttl0 string
	)
	fs := newFlagSet("token", "Mint an API token signed with the ledger's own key and print it.", stderr)
	f.register(fs, "ledger-data")
	fs.StringVar(&roles, "role", "", "role(s), comma-separated: admin, issuer, staff, auditor (required)")
	fs.StringVar(&org, "org", "", "the Erasmus+ OID an issuer acts for (required with --role issuer)")
	fs.StringVar(&sub, "sub", "", "subject; for staff, their participant ID (default: the role name)")
	fs.StringVar(&ttl0, "ttl", "24h", "validity, e.g. 30m or 24h")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	ttl, err := time.ParseDuration(ttl0)
	if err != nil || ttl <= 0 {
		return usageError{fmt.Sprintf("--ttl %q is not a positive duration such as 24h", ttl0)}
	}
	var rs []domain.Role
	for _, r := range strings.Split(roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			rs = append(rs, domain.Role(r))
		}
	}
	if len(rs) == 0 {
		return usageError{"--role is required (admin, issuer, staff or auditor)"}
	}
	if sub == "" {
		sub = string(rs[0])
	}
	cfg, err := f.config()
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer a.Close()
	tok, err := a.MintToken(sub, rs, org, ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
