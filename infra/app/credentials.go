package app

import (
	"context"
	"fmt"

	"github.com/erasmus-ledger/ledger/infra/credentials"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
	"github.com/erasmus-ledger/ledger/infra/httpapi"
)

// wireCredentials adds verifiable credentials: issuers' signing keys sealed
// with the master key, issuance and status changes, status lists derived
// from the log, and the public verification routes with their metric. It
// reads credentials' status from the read models and proves their issuance
// in the transparency log, so it follows wireProjections and
// wireTransparency.
func (a *App) wireCredentials(ctx context.Context) error {
	urls, err := credentials.NewURLs(a.Config.PublicURL)
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	db := a.Backend.DB()
	svc := credentials.NewService(a.Commands, credentials.NewKeyStore(db, a.Master), statuslist.NewAllocator(db), a.Projections, urls)
	routes := &httpapi.Credentials{
		Service:       svc,
		Verifier:      svc.Verifier(a.Commands.Now),
		Verifications: httpapi.NewVerificationsCounter(a.Registry),
	}
	proofs := newIssuanceProofs(a.Transparency, a.Backend) // see logproof.go
	routes.LogProof, routes.Verifier.Inclusion = proofs.logProof, proofs.proveIssuance
	a.mounts = append(a.mounts, routes.Mount)
	return nil
}
