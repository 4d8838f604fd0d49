package transcript

import (
	"context"
	"slices"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/projections"
)

// Streams lists the streams whose events make participant id's transcript, as
// docs (the live read model) know them: the participant's, their
// organisation's, and for each mobility its own, its host's and its
// credentials'. Time travel folds these streams up to a past moment; streams
// only ever gain events, so every stream that mattered then is among them.
func Streams(ctx context.Context, docs projections.Docs, id string) ([]string, error) {
	p, err := projections.Get[Participant](ctx, docs, participantKey(id))
	if err != nil || p == nil {
		return nil, err
	}
	streams := []string{domain.ParticipantStream(id), domain.OrganisationStream(p.Org)}
	for _, mid := range p.Mobilities {
		m, err := projections.Get[Mobility](ctx, docs, mobilityKey(mid))
		if err != nil {
			return nil, err
		}
		streams = append(streams, domain.MobilityStream(mid))
		if m == nil {
			continue
		}
		if m.Host.OID != "" {
			streams = append(streams, domain.OrganisationStream(m.Host.OID))
		}
		for _, c := range m.Credentials {
			streams = append(streams, credential.Stream(c.ID))
		}
	}
	slices.Sort(streams)
	return slices.Compact(streams), nil
}
