package httpapi

import (
	"net/http"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/infra/commands"
)

type plannedOutcomeBody struct {
	ID          string `json:"id,omitempty"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	EQFLevel    int    `json:"eqf_level"`
	ESCOURI     string `json:"esco_uri,omitempty"`
}

type agreeBody struct {
	ParticipantID   string               `json:"participant_id"`
	Host            mobility.Host        `json:"host"`
	Activity        mobility.Activity    `json:"activity"`
	StartDate       domain.Date          `json:"start_date"`
	EndDate         domain.Date          `json:"end_date"`
	ProjectCode     string               `json:"project_code,omitempty"`
	Language        string               `json:"language,omitempty"`
	PlannedOutcomes []plannedOutcomeBody `json:"planned_outcomes"`
}

type completeBody struct {
	StartDate domain.Date     `json:"start_date"`
	EndDate   domain.Date     `json:"end_date"`
	Outcomes  []outcomeResult `json:"outcomes"`
	ECTS      *float64        `json:"ects,omitempty"`
	Hours     *float64        `json:"hours,omitempty"`
}

type outcomeResult struct {
	OutcomeID string          `json:"outcome_id"`
	Result    mobility.Result `json:"result"`
	Evidence  string          `json:"evidence,omitempty"`
}

type mobilityBody struct {
	ID              string               `json:"id"`
	ParticipantID   string               `json:"participant_id"`
	SendingOrg      string               `json:"sending_org"`
	Host            mobility.Host        `json:"host"`
	Activity        mobility.Activity    `json:"activity"`
	StartDate       domain.Date          `json:"start_date"`
	EndDate         domain.Date          `json:"end_date"`
	ProjectCode     string               `json:"project_code,omitempty"`
	Language        string               `json:"language,omitempty"`
	PlannedOutcomes []plannedOutcomeBody `json:"planned_outcomes"`
	State           mobility.State       `json:"state"`
	Completion      *completeBody        `json:"completion,omitempty"`
	Cancellation    *mobility.Cancelled  `json:"cancellation,omitempty"`
	Recognition     *mobility.Recognised `json:"recognition,omitempty"`
	Version         uint64               `json:"version"`
}

func mobilityView(m mobility.Mobility) mobilityBody {
	v := mobilityBody{ID: m.ID, ParticipantID: m.ParticipantID, SendingOrg: m.SendingOrg, Host: m.Host, Activity: m.Activity,
		StartDate: m.PlannedStart, EndDate: m.PlannedEnd, ProjectCode: m.ProjectCode, Language: m.Language,
		State: m.State, Cancellation: m.Cancellation, Recognition: m.Recognition, Version: m.Version}
	for _, o := range m.Outcomes {
		v.PlannedOutcomes = append(v.PlannedOutcomes, plannedOutcomeBody(o))
	}
	if c := m.Completion; c != nil {
		v.Completion = &completeBody{StartDate: c.StartDate, EndDate: c.EndDate, ECTS: c.ECTS, Hours: c.Hours}
		for _, r := range c.Results {
			v.Completion.Outcomes = append(v.Completion.Outcomes, outcomeResult(r))
		}
	}
	return v
}

func (a *API) agreeMobility(r *Request) (Response, error) {
	var in agreeBody
	if err := Decode(r, &in); err != nil {
		return Response{}, err
	}
	p, err := a.participant(r.Request, in.ParticipantID)
	if err != nil {
		return Response{}, err
	}
	if in.Host.OID != "" && (in.Host.Name == "" || in.Host.Country == "") {
		if h, _, err := a.organisation(r.Request, in.Host.OID); err == nil {
			in.Host.Name, in.Host.Country = h.Name, h.Country
		}
	}
	cmd := mobility.Agree{ID: commands.NewID("mob"), ParticipantID: in.ParticipantID, Host: in.Host, Activity: in.Activity,
		StartDate: in.StartDate, EndDate: in.EndDate, ProjectCode: in.ProjectCode, Language: in.Language}
	for _, o := range in.PlannedOutcomes {
		if o.ID != "" {
			return Response{}, domain.Invalidf("planned_outcomes[].id is assigned by the ledger; leave it out")
		}
		o.ID = commands.NewID("out")
		cmd.Outcomes = append(cmd.Outcomes, mobility.PlannedOutcome(o))
	}
	return a.executeMobility(r, cmd.ID, http.StatusCreated, func(m mobility.Mobility, at time.Time) ([]domain.Event, error) {
		return m.Agree(r.By, cmd, p, at)
	})
}

func (a *API) completeMobility(r *Request) (Response, error) {
	var in completeBody
	if err := Decode(r, &in); err != nil {
		return Response{}, err
	}
	cmd := mobility.Complete{StartDate: in.StartDate, EndDate: in.EndDate, ECTS: in.ECTS, Hours: in.Hours}
	for _, o := range in.Outcomes {
		cmd.Results = append(cmd.Results, mobility.OutcomeResult(o))
	}
	return a.executeMobility(r, r.PathValue("id"), http.StatusOK, func(m mobility.Mobility, at time.Time) ([]domain.Event, error) {
		return m.Complete(r.By, cmd, at)
	})
}

func (a *API) cancelMobility(r *Request) (Response, error) {
	var in mobility.Cancel
	if err := Decode(r, &struct {
		Reason *string `json:"reason"`
	}{&in.Reason}); err != nil {
		return Response{}, err
	}
	return a.executeMobility(r, r.PathValue("id"), http.StatusOK, func(m mobility.Mobility, at time.Time) ([]domain.Event, error) {
		return m.Cancel(r.By, in, at)
	})
}

func (a *API) recogniseMobility(r *Request) (Response, error) {
	var in mobility.Recognise
	if err := Decode(r, &struct {
		Decision *mobility.Decision `json:"decision"`
		Note     *string            `json:"note"`
	}{&in.Decision, &in.Note}); err != nil {
		return Response{}, err
	}
	return a.executeMobility(r, r.PathValue("id"), http.StatusOK, func(m mobility.Mobility, at time.Time) ([]domain.Event, error) {
		return m.Recognise(r.By, in, at)
	})
}

// executeMobility runs a decision on mobility id (honouring If-Match) and
// answers with the mobility as it now stands.
func (a *API) executeMobility(r *Request, id string, status int, decide func(mobility.Mobility, time.Time) ([]domain.Event, error)) (Response, error) {
	if err := domain.ValidText("id", id, 100, true); err != nil {
		return Response{}, err
	}
	ifMatch, err := IfMatch(r.Request)
	if err != nil {
		return Response{}, err
	}
	var m mobility.Mobility
	res, err := a.cfg.Commands.Execute(r.Context(), domain.MobilityStream(id), ifMatch, r.Meta,
		func(past []domain.Event, at time.Time) ([]domain.Event, error) {
			m = mobility.Fold(past...)
			return decide(m, at)
		})
	if err != nil {
		return Response{}, err
	}
	for _, e := range res.Events {
		m.Apply(e)
	}
	m.Version = res.Version
	return Response{Status: status, Body: mobilityView(m)}, nil
}

func (a *API) getMobility(r *http.Request, by domain.Actor) (Response, error) {
	id := r.PathValue("id")
	events, _, err := a.cfg.Commands.Load(r.Context(), domain.MobilityStream(id))
	if err != nil {
		return Response{}, err
	}
	m := mobility.Fold(events...)
	if !m.Exists() {
		return Response{}, domain.NotFoundf("mobility %s does not exist", id)
	}
	if !by.ActsFor(m.SendingOrg) && !by.Has(domain.RoleAuditor) && !(by.Has(domain.RoleStaff) && by.Subject == m.ParticipantID) {
		return Response{}, domain.Forbiddenf("you may not read mobility %s", id)
	}
	return Response{Status: http.StatusOK, Body: mobilityView(m), Version: m.Version}, nil
}
