package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/app"
	"github.com/erasmus-ledger/ledger/infra/demo"
)

func runDemo(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := newFlagSet("demo", "Run the ledger with realistic sample data already recorded, and print tokens and URLs to try.", stderr)
	f.register(fs, "ledger-demo-data")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	a, ln, err := start(ctx, &f, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- a.Serve(ctx, ln) }()
	if err := seedAndTell(ctx, a, stdout); err != nil {
		cancel()
		<-errc
		return err
	}
	return <-errc
}

// seedAndTell records the demo data through the API (unless the store already
// holds events) and prints how to try the ledger.
func seedAndTell(ctx context.Context, a *app.App, stdout io.Writer) error {
	admin, err := a.MintToken("demo-admin", []domain.Role{domain.RoleAdmin}, "", 7*24*time.Hour)
	if err != nil {
		return err
	}
	client := &demo.Client{Base: a.Config.PublicURL, HTTP: &http.Client{Timeout: 30 * time.Second}, Mint: a.MintToken}
	size, err := a.Backend.Size(ctx)
	if err != nil {
		return err
	}
	var world demo.World
	if size == 0 {
		fmt.Fprintln(stdout, "Recording the demo data…")
		if world, err = demo.Seed(ctx, client, admin, a.Config.Clock()); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	} else if world, err = demo.Load(ctx, a.Backend, a.Config.PublicURL); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	return tell(stdout, a, admin, world)
}

func tell(w io.Writer, a *app.App, admin string, world demo.World) error {
	issuer, err := a.MintToken("demo-issuer", []domain.Role{domain.RoleIssuer}, world.IssuerOID, 7*24*time.Hour)
	if err != nil {
		return err
	}
	staff, err := a.MintToken(world.StaffID, []domain.Role{domain.RoleStaff}, "", 7*24*time.Hour)
	if err != nil {
		return err
	}
	auditor, err := a.MintToken("demo-auditor", []domain.Role{domain.RoleAuditor}, "", 7*24*time.Hour)
	if err != nil {
		return err
	}
	u := a.Config.PublicURL
	var b strings.Builder
	fmt.Fprintf(&b, "\nThe recognition ledger is running at %s with demo data (store: %s).\n\n", u, storeName(a.Config))
	fmt.Fprintf(&b, "Tokens (valid 7 days), ready to paste into a shell:\n  export ADMIN=%s\n  export ISSUER=%s   # acts for %s\n  export STAFF=%s   # participant %s\n  export AUDITOR=%s\n\n",
		admin, issuer, world.IssuerOID, staff, world.StaffID, auditor)
	fmt.Fprintf(&b, "Try:\n")
	fmt.Fprintf(&b, "  curl -s %s/v1/organisations/%s -H \"Authorization: Bearer $ISSUER\"\n", u, world.IssuerOID)
	fmt.Fprintf(&b, "  curl -s %s/v1/mobilities/%s -H \"Authorization: Bearer $STAFF\"\n", u, world.MobilityID)
	fmt.Fprintf(&b, "  curl -s %s/v1/participants/%s -H \"Authorization: Bearer $ISSUER\"\n", u, world.StaffID)
	fmt.Fprintf(&b, "  curl -s %s/v1/streams/mobility-%s -H \"Authorization: Bearer $AUDITOR\"\n", u, world.MobilityID)
	fmt.Fprintf(&b, "  curl -s -X POST %s/v1/mobilities/%s/recognition -H \"Authorization: Bearer $ISSUER\" \\\n    -H 'Content-Type: application/json' -d '{\"decision\":\"full\",\"note\":\"Recognised as 40 hours of CPD\"}'\n", u, world.UnrecognisedID)
	fmt.Fprintf(&b, "  curl -s %s/metrics | grep ledger_\n  curl -s %s/openapi.yaml\n", u, u)
	for _, l := range world.Links {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	fmt.Fprintf(&b, "\nPress Ctrl-C to stop. The data stays in %s for the next run.\n", a.Config.DataDir)
	_, err = io.WriteString(w, b.String())
	return err
}
