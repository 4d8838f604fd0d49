package credentials

import (
	"context"
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/commands"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/projections"
)

// Service does what the running ledger does with credentials: it creates and
// revokes signing keys, issues credentials and changes their status, serves
// status lists, and reads the log for verifiers. It is also the Verifier's
// KeyResolver, StatusChecker and LedgerChecker. Everything it reports is
// derived from the log; the key store and the allocation table only keep what
// the log must not hold (private keys) and what it cannot decide (which bit a
// credential gets). Credentials' current status comes from the
// credentialstatus read model, caught up with the log before it is read; what
// verifications derive from streams is cached until those streams change.
type Service struct {
	cmds    *commands.Service
	keys    *KeyStore
	alloc   *statuslist.Allocator
	urls    URLs
	model   ReadModel
	derived *derived
}

// ReadModel runs read models, among them credentialstatus; *projector.Runner
// is one. Deliver brings read model name up to date with the log up to and
// including the event at index; Docs returns its documents.
type ReadModel interface {
	Deliver(ctx context.Context, name string, index uint64) error
	Docs(ctx context.Context, name string) (projections.Docs, error)
}

// NewService returns a service recording through cmds, keeping private keys in
// keys, allocating status bits with alloc, reading credentials' status from
// model and writing URLs under urls.
func NewService(cmds *commands.Service, keys *KeyStore, alloc *statuslist.Allocator, model ReadModel, urls URLs) *Service {
	return &Service{cmds: cmds, keys: keys, alloc: alloc, urls: urls, model: model, derived: newDerived(cmds.Log())}
}

// Current returns a context under which the service's lookups read the
// ledger as it stands now, having caught up with the log once: the checks of
// one verification then cost one read of the log's size, and see one state of
// it. If the log cannot be read, ctx is returned with the error, and each
// lookup tries again on its own.
func (s *Service) Current(ctx context.Context) (context.Context, error) {
	_, fresh, err := s.derived.caughtUp(ctx)
	return fresh, err
}

// URLs are the URLs the service writes into credentials.
func (s *Service) URLs() URLs { return s.urls }

// Verifier returns a verifier that reads the ledger through s, with clock now.
func (s *Service) Verifier(now func() time.Time) *Verifier {
	return &Verifier{Keys: s, Status: s, Ledger: s, Now: now}
}

// stream reads a stream and decodes its events, personal data left sealed.
func (s *Service) stream(ctx context.Context, name string) ([]store.Record, []domain.Event, error) {
	recs, err := s.cmds.Log().ReadStream(ctx, name)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	events := make([]domain.Event, len(recs))
	for i, r := range recs {
		if events[i], err = s.cmds.Codec().DecodeSealed(r); err != nil {
			return nil, nil, err
		}
	}
	return recs, events, nil
}

// credential returns credential id as its stream stands, and the stream's
// records; the credential does not exist if it was never issued.
func (s *Service) credential(ctx context.Context, id string) (credential.Credential, []store.Record, error) {
	recs, events, err := s.stream(ctx, credential.Stream(id))
	if err != nil {
		return credential.Credential{}, nil, err
	}
	return credential.Fold(events...), recs, nil
}

// key returns signing key id; it does not exist if it was never registered.
func (s *Service) key(ctx context.Context, id string) (credential.Key, error) {
	_, events, err := s.stream(ctx, credential.KeyStream(id))
	if err != nil {
		return credential.Key{}, err
	}
	return credential.FoldKey(events...), nil
}

// keysOf returns the registered signing keys of organisation oid, or of every
// organisation if oid is "".
func (s *Service) keysOf(ctx context.Context, oid string) ([]credential.Key, error) {
	ids, err := s.keys.IDs(ctx, oid)
	if err != nil {
		return nil, err
	}
	var out []credential.Key
	for _, id := range ids {
		k, err := s.key(ctx, id)
		if err != nil {
			return nil, err
		}
		if k.Exists() {
			out = append(out, k)
		}
	}
	return out, nil
}

// organisation returns organisation oid; it does not exist if it was never
// registered.
func (s *Service) organisation(ctx context.Context, oid string) (organisation.Organisation, error) {
	_, events, err := s.stream(ctx, domain.OrganisationStream(oid))
	if err != nil {
		return organisation.Organisation{}, err
	}
	return organisation.Fold(events...), nil
}

// knownOrganisation is what organisation reads of oid, cached until
// the organisation's stream changes: every credential's record names its
// mobility's host, and hosts are few beside credentials. Callers must not
// change what it returns, which is shared.
func (s *Service) knownOrganisation(ctx context.Context, oid string) (organisation.Organisation, error) {
	return cached(ctx, s.derived, "organisation/"+oid, func(ctx context.Context, _ uint64) (organisation.Organisation, []string, error) {
		o, err := s.organisation(ctx, oid)
		return o, []string{domain.OrganisationStream(oid)}, err
	})
}

// issuer is organisation oid as credentials name it, or the zero Issuer if it
// is not registered; cached until the organisation's stream changes.
func (s *Service) issuer(ctx context.Context, oid string) (Issuer, error) {
	return cached(ctx, s.derived, "issuer/"+oid, func(ctx context.Context, _ uint64) (Issuer, []string, error) {
		o, err := s.organisation(ctx, oid)
		streams := []string{domain.OrganisationStream(oid)}
		if err != nil || !o.Exists() {
			return Issuer{}, streams, err
		}
		return Issuer{ID: s.urls.Organisation(o.OID), OID: o.OID, Name: o.Name, Country: o.Country}, streams, nil
	})
}

// mobility returns mobility id, or fails NotFound.
func (s *Service) mobility(ctx context.Context, id string) (mobility.Mobility, error) {
	_, events, err := s.stream(ctx, domain.MobilityStream(id))
	if err != nil {
		return mobility.Mobility{}, err
	}
	m := mobility.Fold(events...)
	if !m.Exists() {
		return m, domain.NotFoundf("mobility %s does not exist", id)
	}
	return m, nil
}

// participant returns participant id with their personal data opened (or
// marked erased), or fails NotFound.
func (s *Service) participant(ctx context.Context, id string) (participant.Participant, error) {
	events, _, err := s.cmds.Load(ctx, domain.ParticipantStream(id))
	if err != nil {
		return participant.Participant{}, err
	}
	p := participant.Fold(events...)
	if !p.Exists() {
		return p, domain.NotFoundf("participant %s is not enrolled", id)
	}
	return p, nil
}
