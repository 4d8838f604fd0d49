package httpapi

import (
	"net/http"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/organisation"
)

type organisationBody struct {
	OID           string            `json:"oid"`
	Name          string            `json:"name"`
	Country       string            `json:"country"`
	Kind          organisation.Kind `json:"kind,omitempty"`
	Accreditation string            `json:"accreditation,omitempty"`
	Version       uint64            `json:"version,omitempty"`
}

func organisationView(o organisation.Organisation) organisationBody {
	return organisationBody{OID: o.OID, Name: o.Name, Country: o.Country, Kind: o.Kind, Accreditation: o.Accreditation, Version: o.Version}
}

func (a *API) registerOrganisation(r *Request) (Response, error) {
	var in organisationBody
	if err := Decode(r, &in); err != nil {
		return Response{}, err
	}
	if in.Version != 0 {
		return Response{}, domain.Invalidf("unknown field \"version\"")
	}
	if err := domain.ValidOID("oid", in.OID); err != nil {
		return Response{}, err
	}
	cmd := organisation.Register{OID: in.OID, Name: in.Name, Country: in.Country, Kind: in.Kind, Accreditation: in.Accreditation}
	res, err := a.cfg.Commands.Execute(r.Context(), domain.OrganisationStream(in.OID), nil, r.Meta,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			return organisation.Fold(past...).Register(r.By, cmd, at)
		})
	if err != nil {
		return Response{}, err
	}
	o := organisation.Fold(res.Events...)
	o.Version = res.Version
	return Response{Status: http.StatusCreated, Body: organisationView(o)}, nil
}

func (a *API) getOrganisation(r *http.Request, by domain.Actor) (Response, error) {
	o, _, err := a.organisation(r, r.PathValue("oid"))
	if err != nil {
		return Response{}, err
	}
	return Response{Status: http.StatusOK, Body: organisationView(o), Version: o.Version}, nil
}

// organisation loads a registered organisation, or fails NotFound.
func (a *API) organisation(r *http.Request, oid string) (organisation.Organisation, uint64, error) {
	if err := domain.ValidOID("oid", oid); err != nil {
		return organisation.Organisation{}, 0, err
	}
	events, v, err := a.cfg.Commands.Load(r.Context(), domain.OrganisationStream(oid))
	if err != nil {
		return organisation.Organisation{}, 0, err
	}
	o := organisation.Fold(events...)
	if !o.Exists() {
		return o, 0, domain.NotFoundf("organisation %s is not registered", oid)
	}
	return o, v, nil
}
