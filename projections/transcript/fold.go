package transcript

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/projections"
)

// Name is the read model's stored name.
const Name = "transcript"

// Projection folds events into transcript documents.
type Projection struct{}

var _ projections.Projection = Projection{}

// Name implements projections.Projection.
func (Projection) Name() string { return Name }

// Types implements projections.Projection.
func (Projection) Types() []string {
	return []string{
		organisation.Registered{}.EventType(),
		participant.Enrolled{}.EventType(), participant.Erased{}.EventType(),
		mobility.Agreed{}.EventType(), mobility.Completed{}.EventType(),
		mobility.Cancelled{}.EventType(), mobility.Recognised{}.EventType(),
		credential.Issued{}.EventType(), credential.Revoked{}.EventType(),
		credential.Suspended{}.EventType(), credential.Reinstated{}.EventType(),
	}
}

// New implements projections.Projection.
func (Projection) New(key string) (any, error) {
	switch {
	case strings.HasPrefix(key, participantPrefix):
		return new(Participant), nil
	case strings.HasPrefix(key, mobilityPrefix):
		return new(Mobility), nil
	case strings.HasPrefix(key, credentialPrefix):
		return new(CredentialRef), nil
	case strings.HasPrefix(key, organisationPrefix):
		return new(Organisation), nil
	}
	return nil, fmt.Errorf("transcript: no document kind for key %q", key)
}

// Apply implements projections.Projection.
func (Projection) Apply(ctx context.Context, docs projections.Docs, e projections.Event) error {
	at := e.RecordedAt.UTC()
	switch ev := e.Data.(type) {
	case organisation.Registered:
		docs.Put(organisationKey(ev.OID), &Organisation{OID: ev.OID, Name: ev.Name, Country: ev.Country,
			Kind: string(ev.Kind), Accreditation: ev.Accreditation})
	case participant.Enrolled:
		docs.Put(participantKey(ev.ParticipantID), &Participant{ID: ev.ParticipantID, Org: ev.Org,
			Role: string(ev.Role), EnrolledAt: at, Mobilities: []string{}})
	case participant.Erased:
		return update(ctx, docs, participantKey(ev.ParticipantID), func(p *Participant) {
			p.Erased, p.ErasedAt = true, &at
		})
	case mobility.Agreed:
		return agreed(ctx, docs, ev, at)
	case mobility.Completed:
		return update(ctx, docs, mobilityKey(ev.MobilityID), func(m *Mobility) { completed(m, ev, at) })
	case mobility.Cancelled:
		return update(ctx, docs, mobilityKey(ev.MobilityID), func(m *Mobility) {
			m.State, m.Cancellation = mobility.StateCancelled, &Cancellation{Reason: ev.Reason, At: at}
		})
	case mobility.Recognised:
		return update(ctx, docs, mobilityKey(ev.MobilityID), func(m *Mobility) {
			m.State, m.Recognition = mobility.StateRecognised, &Recognition{Decision: ev.Decision, Note: ev.Note, At: at}
		})
	case credential.Issued:
		return issued(ctx, docs, ev, e)
	case credential.Revoked:
		return changeStatus(ctx, docs, ev.CredentialID, func(c *Credential) {
			c.Status, c.RevokedAt = credential.StatusRevoked, &at
		})
	case credential.Suspended:
		return changeStatus(ctx, docs, ev.CredentialID, func(c *Credential) {
			if c.Status != credential.StatusRevoked {
				c.Status = credential.StatusSuspended
			}
		})
	case credential.Reinstated:
		return changeStatus(ctx, docs, ev.CredentialID, func(c *Credential) {
			if c.Status == credential.StatusSuspended {
				c.Status = credential.StatusActive
			}
		})
	}
	return nil
}

// update applies change to the document of type T under key, if there is one.
// The domain never records an event about a stream that does not exist, so a
// missing document means the event's stream lies outside what was folded (as
// when time travel folds a subset of streams): there is nothing to change.
func update[T any](ctx context.Context, docs projections.Docs, key string, change func(*T)) error {
	d, err := projections.Get[T](ctx, docs, key)
	if err != nil || d == nil {
		return err
	}
	change(d)
	docs.Put(key, d)
	return nil
}

// agreed records a new mobility and adds it to its participant's list.
func agreed(ctx context.Context, docs projections.Docs, ev mobility.Agreed, at time.Time) error {
	outcomes := make([]Outcome, len(ev.Outcomes))
	for i, o := range ev.Outcomes {
		outcomes[i] = Outcome{ID: o.ID, Title: o.Title, Description: o.Description, EQFLevel: o.EQFLevel, ESCOURI: o.ESCOURI}
	}
	docs.Put(mobilityKey(ev.MobilityID), &Mobility{
		ID: ev.MobilityID, ParticipantID: ev.ParticipantID, SendingOrg: ev.SendingOrg, Host: ev.Host,
		Activity: ev.Activity, ProjectCode: ev.ProjectCode, Language: ev.Language, State: mobility.StatePlanned,
		PlannedStart: ev.StartDate, PlannedEnd: ev.EndDate, Start: ev.StartDate, End: ev.EndDate,
		Outcomes: outcomes, AgreedAt: at, Credentials: []Credential{},
	})
	return update(ctx, docs, participantKey(ev.ParticipantID), func(p *Participant) {
		if !slices.Contains(p.Mobilities, ev.MobilityID) {
			p.Mobilities = append(p.Mobilities, ev.MobilityID)
		}
	})
}

// completed records the actual dates, the results and the credits.
func completed(m *Mobility, ev mobility.Completed, at time.Time) {
	m.State, m.Start, m.End, m.CompletedAt = mobility.StateCompleted, ev.StartDate, ev.EndDate, &at
	m.ECTS, m.Hours = ev.ECTS, ev.Hours
	for _, r := range ev.Results {
		for i := range m.Outcomes {
			if m.Outcomes[i].ID == r.OutcomeID {
				m.Outcomes[i].Result, m.Outcomes[i].Evidence = r.Result, r.Evidence
			}
		}
	}
}

// issued adds the credential to its mobility and remembers which mobility it
// attests.
func issued(ctx context.Context, docs projections.Docs, ev credential.Issued, e projections.Event) error {
	docs.Put(credentialKey(ev.CredentialID), &CredentialRef{Mobility: ev.MobilityID})
	c := Credential{ID: ev.CredentialID, Status: credential.StatusActive, IssuerOID: ev.IssuerOID,
		IssuedAt: e.RecordedAt.UTC(), ValidFrom: ev.ValidFrom.UTC(), ValidUntil: ev.ValidUntil, LogIndex: e.Index}
	return update(ctx, docs, mobilityKey(ev.MobilityID), func(m *Mobility) {
		if !slices.ContainsFunc(m.Credentials, func(x Credential) bool { return x.ID == c.ID }) {
			m.Credentials = append(m.Credentials, c)
		}
	})
}

// changeStatus applies change to the credential id within its mobility.
func changeStatus(ctx context.Context, docs projections.Docs, id string, change func(*Credential)) error {
	ref, err := projections.Get[CredentialRef](ctx, docs, credentialKey(id))
	if err != nil || ref == nil {
		return err
	}
	return update(ctx, docs, mobilityKey(ref.Mobility), func(m *Mobility) {
		for i := range m.Credentials {
			if m.Credentials[i].ID == id {
				change(&m.Credentials[i])
			}
		}
	})
}
