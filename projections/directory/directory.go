// Package directory is the organisation directory: every organisation the
// ledger knows, its accreditation, and counts of the mobilities it sends by
// state, of those it hosts and of its enrolled staff.
package directory

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/projections"
)

// Name is the read model's stored name.
const Name = "directory"

// The document key prefixes, stored and never changed.
const (
	organisationPrefix = "o/"
	mobilityPrefix     = "m/"
)

// OrganisationKey is the key of organisation oid's document, for readers.
func OrganisationKey(oid string) string { return organisationPrefix + oid }

func mobilityKey(id string) string { return mobilityPrefix + id }

// Organisation is an organisation's entry. Registered is false for a host
// known only from the mobilities it received. Sending counts the mobilities it
// sent by their current state.
type Organisation struct {
	OID           string                 `json:"oid"`
	Registered    bool                   `json:"registered"`
	Name          string                 `json:"name,omitempty"`
	Country       string                 `json:"country,omitempty"`
	Kind          string                 `json:"kind,omitempty"`
	Accreditation string                 `json:"accreditation,omitempty"`
	RegisteredAt  *time.Time             `json:"registered_at,omitempty"`
	Staff         int                    `json:"staff"`
	Sending       map[mobility.State]int `json:"sending"`
	Hosted        int                    `json:"hosted"`
}

// Mobility is what the directory remembers of a mobility to move it between
// its sending organisation's counts.
type Mobility struct {
	SendingOrg string         `json:"sending_org"`
	State      mobility.State `json:"state"`
}

// Projection folds events into the directory.
type Projection struct{}

var _ projections.Projection = Projection{}

// Name implements projections.Projection.
func (Projection) Name() string { return Name }

// Types implements projections.Projection.
func (Projection) Types() []string {
	return []string{organisation.Registered{}.EventType(), participant.Enrolled{}.EventType(),
		mobility.Agreed{}.EventType(), mobility.Completed{}.EventType(),
		mobility.Cancelled{}.EventType(), mobility.Recognised{}.EventType()}
}

// New implements projections.Projection.
func (Projection) New(key string) (any, error) {
	switch {
	case strings.HasPrefix(key, organisationPrefix):
		return new(Organisation), nil
	case strings.HasPrefix(key, mobilityPrefix):
		return new(Mobility), nil
	}
	return nil, fmt.Errorf("directory: no document kind for key %q", key)
}

// Apply implements projections.Projection.
func (Projection) Apply(ctx context.Context, docs projections.Docs, e projections.Event) error {
	switch ev := e.Data.(type) {
	case organisation.Registered:
		at := e.RecordedAt.UTC()
		return change(ctx, docs, ev.OID, func(o *Organisation) {
			o.Registered, o.Name, o.Country, o.Kind, o.Accreditation = true, ev.Name, ev.Country, string(ev.Kind), ev.Accreditation
			o.RegisteredAt = &at
		})
	case participant.Enrolled:
		return change(ctx, docs, ev.Org, func(o *Organisation) { o.Staff++ })
	case mobility.Agreed:
		return agreed(ctx, docs, ev)
	case mobility.Completed:
		return move(ctx, docs, ev.MobilityID, mobility.StateCompleted)
	case mobility.Cancelled:
		return move(ctx, docs, ev.MobilityID, mobility.StateCancelled)
	case mobility.Recognised:
		return move(ctx, docs, ev.MobilityID, mobility.StateRecognised)
	}
	return nil
}

// change applies f to organisation oid's entry, creating it if need be.
func change(ctx context.Context, docs projections.Docs, oid string, f func(*Organisation)) error {
	o, err := projections.Get[Organisation](ctx, docs, OrganisationKey(oid))
	if err != nil {
		return err
	}
	if o == nil {
		o = &Organisation{OID: oid, Sending: map[mobility.State]int{}}
	}
	f(o)
	docs.Put(OrganisationKey(oid), o)
	return nil
}

// agreed counts a new planned mobility for its sending organisation and a
// hosted one for its host, when the host has an OID.
func agreed(ctx context.Context, docs projections.Docs, ev mobility.Agreed) error {
	docs.Put(mobilityKey(ev.MobilityID), &Mobility{SendingOrg: ev.SendingOrg, State: mobility.StatePlanned})
	if err := change(ctx, docs, ev.SendingOrg, func(o *Organisation) { o.Sending[mobility.StatePlanned]++ }); err != nil {
		return err
	}
	if ev.Host.OID == "" {
		return nil
	}
	return change(ctx, docs, ev.Host.OID, func(o *Organisation) { o.Hosted++ })
}

// move moves mobility id to state in its sending organisation's counts.
func move(ctx context.Context, docs projections.Docs, id string, state mobility.State) error {
	m, err := projections.Get[Mobility](ctx, docs, mobilityKey(id))
	if err != nil || m == nil {
		return err
	}
	from := m.State
	m.State = state
	docs.Put(mobilityKey(id), m)
	return change(ctx, docs, m.SendingOrg, func(o *Organisation) {
		if o.Sending[from]--; o.Sending[from] <= 0 {
			delete(o.Sending, from)
		}
		o.Sending[state]++
	})
}

// Lookup returns organisation oid's entry from docs, or nil.
func Lookup(ctx context.Context, docs projections.Docs, oid string) (*Organisation, error) {
	return projections.Get[Organisation](ctx, docs, OrganisationKey(oid))
}
