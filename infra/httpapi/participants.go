package httpapi

import (
	"net/http"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/commands"
)

type enrolBody struct {
	Org        string           `json:"org,omitempty"`
	GivenName  string           `json:"given_name"`
	FamilyName string           `json:"family_name"`
	Email      string           `json:"email,omitempty"`
	BirthDate  string           `json:"birth_date,omitempty"`
	Role       participant.Role `json:"role"`
}

type participantBody struct {
	ID         string           `json:"id"`
	Org        string           `json:"org"`
	Role       participant.Role `json:"role"`
	GivenName  string           `json:"given_name,omitempty"`
	FamilyName string           `json:"family_name,omitempty"`
	Email      string           `json:"email,omitempty"`
	BirthDate  string           `json:"birth_date,omitempty"`
	Erased     bool             `json:"erased"`
	Version    uint64           `json:"version"`
}

func participantView(p participant.Participant, personal bool) participantBody {
	v := participantBody{ID: p.ID, Org: p.Org, Role: p.Role, Erased: p.Erased, Version: p.Version}
	if personal && !p.Erased {
		v.GivenName, v.FamilyName, v.Email, v.BirthDate = p.Personal.GivenName, p.Personal.FamilyName, p.Personal.Email, p.Personal.BirthDate
	}
	return v
}

func (a *API) enrolParticipant(r *Request) (Response, error) {
	var in enrolBody
	if err := Decode(r, &in); err != nil {
		return Response{}, err
	}
	org := in.Org
	if org == "" {
		org = r.By.Org
	}
	if org == "" {
		return Response{}, domain.Invalidf("org is required: name the participant's organisation by its OID")
	}
	if !r.By.ActsFor(org) {
		return Response{}, domain.Forbiddenf("you may enrol staff only of your own organisation")
	}
	o, _, err := a.organisation(r.Request, org)
	if err != nil {
		return Response{}, err
	}
	cmd := participant.Enrol{ID: commands.NewID("par"), Org: org, Role: in.Role,
		GivenName: in.GivenName, FamilyName: in.FamilyName, Email: in.Email, BirthDate: in.BirthDate}
	res, err := a.cfg.Commands.Execute(r.Context(), domain.ParticipantStream(cmd.ID), nil, r.Meta,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			return participant.Fold(past...).Enrol(r.By, cmd, o, at)
		})
	if err != nil {
		return Response{}, err
	}
	p := participant.Fold(res.Events...)
	p.Version = res.Version
	return Response{Status: http.StatusCreated, Body: participantView(p, false)}, nil
}

func (a *API) getParticipant(r *http.Request, by domain.Actor) (Response, error) {
	p, err := a.participant(r, r.PathValue("id"))
	if err != nil {
		return Response{}, err
	}
	if err := mayRead(by, p); err != nil {
		return Response{}, err
	}
	return Response{Status: http.StatusOK, Body: participantView(p, true), Version: p.Version}, nil
}

// mayRead allows a participant's record to themselves, to issuers of their
// organisation, to auditors and to admins.
func mayRead(by domain.Actor, p participant.Participant) error {
	if by.ActsFor(p.Org) || by.Has(domain.RoleAuditor) || (by.Has(domain.RoleStaff) && by.Subject == p.ID) {
		return nil
	}
	return domain.Forbiddenf("you may not read participant %s", p.ID)
}

func (a *API) eraseParticipant(r *Request) (Response, error) {
	id := r.PathValue("id")
	if len(r.Body) > 0 {
		if err := Decode(r, &struct{}{}); err != nil {
			return Response{}, err
		}
	}
	p, err := a.participant(r.Request, id)
	if err != nil {
		return Response{}, err
	}
	// Decide first, so that a refused erasure destroys nothing; then destroy the
	// key before recording the event: a crash in between leaves the data
	// unreadable and a retry records the event.
	if _, err := p.Erase(r.By, a.cfg.Commands.Now()); err != nil {
		return Response{}, err
	}
	if err := a.cfg.Keys.Destroy(r.Context(), id); err != nil {
		return Response{}, err
	}
	if err := a.idem.forget(r.Context(), id); err != nil {
		return Response{}, err
	}
	res, err := a.cfg.Commands.Execute(r.Context(), domain.ParticipantStream(id), nil, r.Meta,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			return participant.Fold(past...).Erase(r.By, at)
		})
	if err != nil {
		return Response{}, err
	}
	return Response{Status: http.StatusAccepted, Body: map[string]any{"id": id, "erased": true, "version": res.Version}}, nil
}

// participant loads an enrolled participant with personal data opened, or fails NotFound.
func (a *API) participant(r *http.Request, id string) (participant.Participant, error) {
	if err := domain.ValidText("id", id, 100, true); err != nil {
		return participant.Participant{}, err
	}
	events, _, err := a.cfg.Commands.Load(r.Context(), domain.ParticipantStream(id))
	if err != nil {
		return participant.Participant{}, err
	}
	p := participant.Fold(events...)
	if !p.Exists() {
		return p, domain.NotFoundf("participant %s is not enrolled", id)
	}
	return p, nil
}
