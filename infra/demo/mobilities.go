package demo

import (
	"context"
	"time"
)

// plan is one demo mobility and how far its story goes.
type plan struct {
	name, org  string
	agreement  map[string]any
	results    []string // one per planned outcome; nil: not completed
	cancelled  string   // reason; "": not cancelled
	recognised string   // decision; "": not recognised
	ects       float64
	hours      float64
}

type outcome struct {
	title, description string
	eqf                int
	esco               string
}

func outcomes(os ...outcome) []map[string]any {
	out := make([]map[string]any, len(os))
	for i, o := range os {
		out[i] = map[string]any{"title": o.title, "description": o.description, "eqf_level": o.eqf}
		if o.esco != "" {
			out[i]["esco_uri"] = "http://data.europa.eu/esco/skill/" + o.esco
		}
	}
	return out
}

func plans(staff []string, now time.Time) []plan {
	return []plan{
		{name: "shadowing-finland", org: "E10208051", results: []string{"achieved", "achieved", "partially_achieved", "achieved"}, recognised: "full", hours: 60,
			agreement: map[string]any{"participant_id": staff[0], "host": map[string]any{"oid": "E10300112"}, "activity": "job_shadowing",
				"start_date": day(now, -150), "end_date": day(now, -141), "project_code": "2024-1-DE02-KA121-SCH-000123456", "language": "en",
				"planned_outcomes": outcomes(
					outcome{"Outdoor learning in all seasons", "Plan and lead daily outdoor play sessions following the Finnish ECEC curriculum.", 5, "b4bd9ac5-1d52-4f74-a2bd-0ba9ac0f84f1"},
					outcome{"Pedagogical documentation", "Document children's learning with photos and learning stories shared with families.", 5, ""},
					outcome{"Multilingual groups", "Support children whose home language differs from the language of the centre.", 4, "2ae0fc41-8d4f-4b53-8e4d-1b21b4fd1e77"},
					outcome{"Team planning routines", "Take part in weekly team planning with core and assisting practitioners.", 4, ""})}},
		{name: "course-lisbon", org: "E10154720", results: []string{"achieved", "not_achieved", "achieved"}, ects: 2, hours: 30,
			agreement: map[string]any{"participant_id": staff[2], "host": map[string]any{"oid": "E10411876"}, "activity": "structured_course",
				"start_date": day(now, -60), "end_date": day(now, -56), "project_code": "2024-1-IT02-KA122-SCH-000234567", "language": "pt",
				"planned_outcomes": outcomes(
					outcome{"Inclusive early years practice", "Adapt activities for children with special educational needs.", 5, ""},
					outcome{"Portuguese for professional use", "Hold a simple professional conversation in Portuguese.", 3, ""},
					outcome{"Digital tools with families", "Use a family communication app responsibly.", 4, ""})}},
		{name: "assistant-shadowing", org: "E10208051", results: []string{"achieved", "partially_achieved"}, recognised: "partial", hours: 35,
			agreement: map[string]any{"participant_id": staff[1], "host": map[string]any{"name": "Escola Bressol Els Pins", "country": "ES"}, "activity": "job_shadowing",
				"start_date": day(now, -100), "end_date": day(now, -96), "language": "es",
				"planned_outcomes": outcomes(
					outcome{"Transitions in the daily routine", "Support calm transitions between activities for toddlers.", 3, ""},
					outcome{"Working with parents at drop-off", "Welcome families and exchange information at drop-off time.", 3, ""})}},
		{name: "teaching-italy", org: "E10087345",
			agreement: map[string]any{"participant_id": staff[3], "host": map[string]any{"oid": "E10154720"}, "activity": "teaching_assignment",
				"start_date": day(now, 30), "end_date": day(now, 59), "project_code": "2025-1-ES01-KA121-SCH-000345678", "language": "it",
				"planned_outcomes": outcomes(
					outcome{"Teach science through play", "Deliver ten science sessions for 5-year-olds in a partner school.", 6, ""},
					outcome{"Co-teaching in a foreign system", "Plan and co-teach with the host teacher.", 6, ""})}},
		{name: "cancelled-shadowing", org: "E10522301", cancelled: "The host company closed the workshop for renovation.",
			agreement: map[string]any{"participant_id": staff[4], "host": map[string]any{"name": "Lycée professionnel Jean Moulin", "country": "FR"}, "activity": "job_shadowing",
				"start_date": day(now, 10), "end_date": day(now, 19), "language": "fr",
				"planned_outcomes": outcomes(outcome{"Work-based learning in automotive VET", "Observe apprenticeship mentoring in the workshop.", 5, ""})}},
	}
}

// record plays the plan through the API and returns the mobility's ID.
func (p plan) record(ctx context.Context, c *Client) (string, error) {
	tok, err := c.issuer(p.org)
	if err != nil {
		return "", err
	}
	var m struct {
		ID              string
		PlannedOutcomes []struct{ ID string } `json:"planned_outcomes"`
		StartDate       string                `json:"start_date"`
		EndDate         string                `json:"end_date"`
	}
	if err := c.Post(ctx, tok, "/v1/mobilities", p.agreement, &m); err != nil {
		return "", err
	}
	path := "/v1/mobilities/" + m.ID
	if p.cancelled != "" {
		return m.ID, c.Post(ctx, tok, path+"/cancellation", map[string]any{"reason": p.cancelled}, nil)
	}
	if p.results == nil {
		return m.ID, nil
	}
	results := make([]map[string]any, len(p.results))
	for i, r := range p.results {
		results[i] = map[string]any{"outcome_id": m.PlannedOutcomes[i].ID, "result": r}
	}
	completion := map[string]any{"start_date": m.StartDate, "end_date": m.EndDate, "outcomes": results, "hours": p.hours}
	if p.ects > 0 {
		completion["ects"] = p.ects
	}
	if err := c.Post(ctx, tok, path+"/completion", completion, nil); err != nil {
		return "", err
	}
	if p.recognised != "" {
		note := "Recognised by the head of the centre as continuing professional development."
		if err := c.Post(ctx, tok, path+"/recognition", map[string]any{"decision": p.recognised, "note": note}, nil); err != nil {
			return "", err
		}
	}
	return m.ID, nil
}

// issue issues the credential of the plan's completed mobility id, as its
// organisation's issuer, and returns the credential's ID.
func (p plan) issue(ctx context.Context, c *Client, id string) (string, error) {
	tok, err := c.issuer(p.org)
	if err != nil {
		return "", err
	}
	var out struct{ ID string }
	if err := c.Post(ctx, tok, "/v1/mobilities/"+id+"/credentials", nil, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// changeStatus records a revocation, suspension or reinstatement (change) of
// credential id, as the plan's organisation's issuer.
func (p plan) changeStatus(ctx context.Context, c *Client, id, change, reason string) error {
	tok, err := c.issuer(p.org)
	if err != nil {
		return err
	}
	return c.Post(ctx, tok, "/v1/credentials/"+id+"/"+change, map[string]any{"reason": reason}, nil)
}
