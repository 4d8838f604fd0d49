package credentials

import (
	"context"
	"fmt"

	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
)

// statusDocs returns the credentialstatus read model's documents, caught up
// with the first size events of the log at least: read once the log had
// grown to size, they reflect a revocation recorded before, although the
// read model is fed asynchronously.
func (s *Service) statusDocs(ctx context.Context, size uint64) (projections.Docs, error) {
	if size > 0 {
		if err := s.model.Deliver(ctx, credentialstatus.Name, size-1); err != nil {
			return nil, fmt.Errorf("credential status: %w", err)
		}
	}
	return s.model.Docs(ctx, credentialstatus.Name)
}

// status returns credential id's status document as the log now stands, or
// nil if it was never issued. The document is cached until the credential's
// stream changes, and shared: callers must not change it.
func (s *Service) status(ctx context.Context, id string) (*credentialstatus.Credential, error) {
	return cached(ctx, s.derived, "status/"+id, func(ctx context.Context, size uint64) (*credentialstatus.Credential, []string, error) {
		c, err := s.readStatus(ctx, id, size)
		return c, []string{credential.Stream(id)}, err
	})
}

// readStatus reads credential id's status document from the read model,
// caught up with the first size events of the log at least.
func (s *Service) readStatus(ctx context.Context, id string, size uint64) (*credentialstatus.Credential, error) {
	docs, err := s.statusDocs(ctx, size)
	if err != nil {
		return nil, err
	}
	return credentialstatus.Lookup(ctx, docs, id)
}
