package transcript

import (
	"context"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/projections"
)

// Transcript is what a participant's transcript shows, section by section of
// the Europass Mobility document: the holder, then each mobility with its
// partners, description, skills acquired and recognition. An erased
// participant's transcript shows the erasure and nothing else.
type Transcript struct {
	Holder     Holder         `json:"holder"`
	Erased     bool           `json:"erased"`
	Mobilities []MobilityView `json:"mobilities"`
	AsOf       *time.Time     `json:"as_of,omitempty"`
}

// Holder is the participant the transcript is about. Name and BirthDate are
// filled in from the participant's stream by whoever shows the transcript.
type Holder struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	BirthDate    string       `json:"birth_date,omitempty"`
	Role         string       `json:"role"`
	Organisation Organisation `json:"organisation"`
	EnrolledAt   time.Time    `json:"enrolled_at"`
}

// MobilityView is one mobility as a transcript shows it. DurationDays counts
// the days from start to end, both included.
type MobilityView struct {
	ID           string            `json:"id"`
	State        mobility.State    `json:"state"`
	Sending      Organisation      `json:"sending"`
	Host         Organisation      `json:"host"`
	Activity     mobility.Activity `json:"activity"`
	ProjectCode  string            `json:"project_code,omitempty"`
	Language     string            `json:"language,omitempty"`
	StartDate    domain.Date       `json:"start_date"`
	EndDate      domain.Date       `json:"end_date"`
	DurationDays int               `json:"duration_days"`
	Outcomes     []Outcome         `json:"outcomes"`
	ECTS         *float64          `json:"ects,omitempty"`
	Hours        *float64          `json:"hours,omitempty"`
	Cancellation *Cancellation     `json:"cancellation,omitempty"`
	Recognition  *Recognition      `json:"recognition,omitempty"`
	Credentials  []CredentialView  `json:"credentials"`
}

// CredentialView is a credential with its status at the time of reading
// (expiry included) and the page that verifies it.
type CredentialView struct {
	Credential
	VerifyURL string `json:"verify_url"`
}

// Options are what Build needs beyond the documents: the time that decides
// expiry, and the public base URL of verification pages.
type Options struct {
	At        time.Time
	PublicURL string
}

// Build assembles participant id's transcript from docs. It fails with
// domain.ErrNotFound when docs know no such participant.
func Build(ctx context.Context, docs projections.Docs, id string, opts Options) (Transcript, error) {
	p, err := projections.Get[Participant](ctx, docs, participantKey(id))
	if err != nil {
		return Transcript{}, err
	}
	if p == nil {
		return Transcript{}, domain.NotFoundf("participant %s has no transcript", id)
	}
	org, err := organisationOf(ctx, docs, p.Org, "")
	if err != nil {
		return Transcript{}, err
	}
	t := Transcript{Holder: Holder{ID: p.ID, Role: p.Role, Organisation: org, EnrolledAt: p.EnrolledAt},
		Erased: p.Erased, Mobilities: []MobilityView{}}
	if p.Erased {
		return t, nil
	}
	for _, mid := range p.Mobilities {
		m, err := projections.Get[Mobility](ctx, docs, mobilityKey(mid))
		if err != nil {
			return Transcript{}, err
		}
		if m == nil {
			continue
		}
		v, err := view(ctx, docs, m, opts)
		if err != nil {
			return Transcript{}, err
		}
		t.Mobilities = append(t.Mobilities, v)
	}
	return t, nil
}

// view turns a mobility's document into its section of the transcript.
func view(ctx context.Context, docs projections.Docs, m *Mobility, opts Options) (MobilityView, error) {
	sending, err := organisationOf(ctx, docs, m.SendingOrg, "")
	if err != nil {
		return MobilityView{}, err
	}
	host, err := organisationOf(ctx, docs, m.Host.OID, m.Host.Country)
	if err != nil {
		return MobilityView{}, err
	}
	if host.Name == "" {
		host.Name = m.Host.Name
	}
	v := MobilityView{ID: m.ID, State: m.State, Sending: sending, Host: host, Activity: m.Activity,
		ProjectCode: m.ProjectCode, Language: m.Language, StartDate: m.Start, EndDate: m.End,
		DurationDays: m.Start.DaysThrough(m.End), Outcomes: m.Outcomes, ECTS: m.ECTS, Hours: m.Hours,
		Cancellation: m.Cancellation, Recognition: m.Recognition, Credentials: []CredentialView{}}
	for _, c := range m.Credentials {
		if c.Status == credential.StatusActive && c.ValidUntil != nil && !opts.At.Before(*c.ValidUntil) {
			c.Status = credential.StatusExpired
		}
		v.Credentials = append(v.Credentials, CredentialView{Credential: c, VerifyURL: opts.PublicURL + "/verify/" + c.ID})
	}
	return v, nil
}

// organisationOf returns the organisation oid as the documents know it; an
// organisation without OID, or not registered, is shown with its country only.
func organisationOf(ctx context.Context, docs projections.Docs, oid, country string) (Organisation, error) {
	if oid == "" {
		return Organisation{Country: country}, nil
	}
	o, err := projections.Get[Organisation](ctx, docs, organisationKey(oid))
	if err != nil || o == nil {
		return Organisation{OID: oid, Country: country}, err
	}
	return *o, nil
}
