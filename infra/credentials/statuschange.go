package credentials

import (
	"context"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// StatusDecision is a decision on a credential's status, such as a revocation:
// credential.Credential's Revoke, Suspend or Reinstate with its actor and
// reason bound.
type StatusDecision func(c credential.Credential, at time.Time) ([]domain.Event, error)

// ChangeStatus decides on credential id's status and records the decision;
// with ifMatch set, the credential's stream must be at that version. It
// returns the credential as it now stands.
func (s *Service) ChangeStatus(ctx context.Context, id string, ifMatch *uint64, meta store.Metadata, decide StatusDecision) (credential.Credential, error) {
	if err := domain.ValidID("credential id", id); err != nil {
		return credential.Credential{}, err
	}
	var c credential.Credential
	res, err := s.cmds.Execute(ctx, credential.Stream(id), ifMatch, meta, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		c = credential.Fold(past...)
		return decide(c, at)
	})
	if err != nil {
		return credential.Credential{}, err
	}
	for _, e := range res.Events {
		c.Apply(e)
	}
	c.Version = res.Version
	return c, nil
}
