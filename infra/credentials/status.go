package credentials

import (
	"context"
	"fmt"

	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
)

// statusDocs returns the credentialstatus read model's documents, caught up
// with every event the log held when it was called: a verification that
// follows a revocation sees it, although the read model is fed
// asynchronously.
func (s *Service) statusDocs(ctx context.Context) (projections.Docs, error) {
	if err := s.model.Sync(ctx, credentialstatus.Name); err != nil {
		return nil, fmt.Errorf("credential status: %w", err)
	}
	return s.model.Docs(ctx, credentialstatus.Name)
}

// status returns credential id's status document as the log now stands, or
// nil if it was never issued. The document is cached until the credential's
// stream changes, and shared: callers must not change it.
func (s *Service) status(ctx context.Context, id string) (*credentialstatus.Credential, error) {
	return cached(ctx, s.derived, "status/"+id, func(ctx context.Context) (*credentialstatus.Credential, []string, error) {
		docs, err := s.statusDocs(ctx)
		if err != nil {
			return nil, nil, err
		}
		c, err := credentialstatus.Lookup(ctx, docs, id)
		return c, []string{credential.Stream(id)}, err
	})
}
