// Package organisation is the aggregate of a sending or host organisation: an
// ECEC centre, school or VET provider known by its Erasmus+ OID. Its stream is
// domain.OrganisationStream(oid).
package organisation

import "github.com/erasmus-ledger/ledger/domain"

// Kind is what sort of organisation it is.
type Kind string

// The kinds of organisation.
const (
	KindECECCentre     Kind = "ecec_centre"
	KindSchool         Kind = "school"
	KindVETProvider    Kind = "vet_provider"
	KindCourseProvider Kind = "course_provider"
	KindOther          Kind = "other"
)

// Known reports whether k is one of the kinds above.
func (k Kind) Known() bool {
	switch k {
	case KindECECCentre, KindSchool, KindVETProvider, KindCourseProvider, KindOther:
		return true
	}
	return false
}

// Organisation is the state of one organisation, folded from its stream.
// Version is the number of events folded, whether Apply knows them or not, so
// it is the stream's version and the expected version of the next append.
type Organisation struct {
	OID           string
	Name          string
	Country       string
	Kind          Kind
	Accreditation string
	Version       uint64
}

// Exists reports whether the organisation has been registered.
func (o Organisation) Exists() bool { return o.OID != "" }

// Apply folds one event of the organisation's stream into o. It ignores event
// types it does not know, which other aggregates may add to the stream.
func (o *Organisation) Apply(e domain.Event) {
	o.Version++
	if r, ok := e.(Registered); ok {
		o.OID, o.Name, o.Country, o.Kind, o.Accreditation = r.OID, r.Name, r.Country, r.Kind, r.Accreditation
	}
}

// Fold is the state after events, in stream order.
func Fold(events ...domain.Event) Organisation {
	var o Organisation
	for _, e := range events {
		o.Apply(e)
	}
	return o
}
