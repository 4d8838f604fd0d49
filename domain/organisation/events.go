package organisation

import "github.com/erasmus-ledger/ledger/domain"

// Registered records that an organisation joined the ledger. Accreditation is
// its Erasmus accreditation code (KA120), or "" if it holds none.
type Registered struct {
	OID           string `json:"oid"`
	Name          string `json:"name"`
	Country       string `json:"country"`
	Kind          Kind   `json:"kind"`
	Accreditation string `json:"accreditation"`
}

// EventType is the stored name of Registered.
func (Registered) EventType() string { return "organisation.registered" }

// EventTypes returns a zero value of every event type of the package, for
// decoders. Apply expects events as these values, not as pointers to them.
func EventTypes() []domain.Event {
	return []domain.Event{Registered{}}
}
