package demo

import (
	"context"
	"fmt"
	"time"
)

// World names the demo records worth showing.
type World struct {
	IssuerOID      string   // an accredited consortium coordinator
	StaffID        string   // a participant with a completed, recognised mobility
	MobilityID     string   // that mobility
	UnrecognisedID string   // a completed mobility still waiting for recognition
	Links          []string // further URLs to try, filled by later features
}

type org struct{ OID, Name, Country, Kind, Accreditation string }

// orgs are the demo organisations: sending ECEC centres and schools, and hosts.
var orgs = []org{
	{"E10208051", "Kita Sonnenblume", "DE", "ecec_centre", "2021-1-DE02-KA120-SCH-000012345"},
	{"E10154720", "Scuola dell'Infanzia Arcobaleno", "IT", "ecec_centre", ""},
	{"E10087345", "Colegio Público San Fermín", "ES", "school", "2022-1-ES01-KA120-SCH-000067890"},
	{"E10300112", "Päiväkoti Tähtitaivas", "FI", "ecec_centre", ""},
	{"E10411876", "Centro de Formação Primeiros Passos", "PT", "course_provider", ""},
	{"E10522301", "Berufskolleg am Rhein", "DE", "vet_provider", ""},
}

type person struct{ Org, Given, Family, Email, Birth, Role string }

var people = []person{
	{"E10208051", "Anna", "Schneider", "anna.schneider@kita-sonnenblume.example", "1988-04-12", "ecec_core_practitioner"},
	{"E10208051", "Lukas", "Weber", "", "1995-09-30", "ecec_assisting_practitioner"},
	{"E10154720", "Giulia", "Romano", "g.romano@arcobaleno.example", "1983-01-22", "ecec_core_practitioner"},
	{"E10087345", "Javier", "Martínez Ruiz", "jmartinez@sanfermin.example", "1979-11-05", "teacher"},
	{"E10522301", "Mehmet", "Yılmaz", "", "1990-06-17", "vet_trainer"},
}

// Seed records the demo data as admin and as each organisation's issuer, with
// dates relative to now so that completed mobilities lie in the past.
func Seed(ctx context.Context, c *Client, admin string, now time.Time) (World, error) {
	for _, o := range orgs {
		if err := c.Post(ctx, admin, "/v1/organisations", o.body(), nil); err != nil {
			return World{}, err
		}
	}
	staff := make([]string, len(people))
	for i, p := range people {
		tok, err := c.issuer(p.Org)
		if err != nil {
			return World{}, err
		}
		var out struct{ ID string }
		if err := c.Post(ctx, tok, "/v1/participants", p.body(), &out); err != nil {
			return World{}, err
		}
		staff[i] = out.ID
	}
	return seedMobilities(ctx, c, admin, staff, now)
}

func (o org) body() map[string]any {
	b := map[string]any{"oid": o.OID, "name": o.Name, "country": o.Country, "kind": o.Kind}
	if o.Accreditation != "" {
		b["accreditation"] = o.Accreditation
	}
	return b
}

func (p person) body() map[string]any {
	b := map[string]any{"given_name": p.Given, "family_name": p.Family, "birth_date": p.Birth, "role": p.Role}
	if p.Email != "" {
		b["email"] = p.Email
	}
	return b
}

// day is the civil date n days from now.
func day(now time.Time, n int) string { return now.AddDate(0, 0, n).UTC().Format("2006-01-02") }

func seedMobilities(ctx context.Context, c *Client, admin string, staff []string, now time.Time) (World, error) {
	w := World{IssuerOID: orgs[0].OID, StaffID: staff[0]}
	ids := map[string]string{}
	all := plans(staff, now)
	for _, m := range all {
		id, err := m.record(ctx, c)
		if err != nil {
			return World{}, err
		}
		ids[m.name] = id
	}
	w.MobilityID, w.UnrecognisedID = ids["shadowing-finland"], ids["course-lisbon"]
	if w.MobilityID == "" || w.UnrecognisedID == "" {
		return World{}, fmt.Errorf("demo plans lack the showcase mobilities")
	}
	links, err := seedCredentials(ctx, c, admin, all, ids)
	if err != nil {
		return World{}, err
	}
	w.Links = links
	return w, nil
}

// seedCredentials creates a signing key for every sending organisation and
// issues the credentials of the completed mobilities; it suspends one, and
// revokes another and issues it anew, so that every status has an example. It
// returns the URLs that show them.
func seedCredentials(ctx context.Context, c *Client, admin string, all []plan, ids map[string]string) ([]string, error) {
	keyed := map[string]bool{}
	for _, p := range all {
		if keyed[p.org] {
			continue
		}
		keyed[p.org] = true
		if err := c.Post(ctx, admin, "/v1/organisations/"+p.org+"/keys", nil, nil); err != nil {
			return nil, err
		}
	}
	creds := map[string]string{}
	for _, p := range all {
		if p.results == nil {
			continue
		}
		id, err := p.issue(ctx, c, ids[p.name])
		if err != nil {
			return nil, err
		}
		creds[p.name] = id
	}
	return showcaseStatuses(ctx, c, all, ids, creds)
}

// showcaseStatuses suspends the credential of the assistant's job shadowing,
// and revokes and reissues that of the course in Lisbon.
func showcaseStatuses(ctx context.Context, c *Client, all []plan, ids, creds map[string]string) ([]string, error) {
	byName := map[string]plan{}
	for _, p := range all {
		byName[p.name] = p
	}
	if err := byName["assistant-shadowing"].changeStatus(ctx, c, creds["assistant-shadowing"], "suspension",
		"The host asked to review the assessment of one learning outcome."); err != nil {
		return nil, err
	}
	course := byName["course-lisbon"]
	if err := course.changeStatus(ctx, c, creds["course-lisbon"], "revocation",
		"Issued before the host confirmed the results; reissued."); err != nil {
		return nil, err
	}
	reissued, err := course.issue(ctx, c, ids["course-lisbon"])
	if err != nil {
		return nil, err
	}
	verify := func(id string) string { return c.Base + "/verify/" + id }
	return []string{
		"Verification pages for employers (open in a browser):",
		"  valid:     " + verify(creds["shadowing-finland"]),
		"  suspended: " + verify(creds["assistant-shadowing"]),
		"  revoked:   " + verify(creds["course-lisbon"]),
		"  reissued:  " + verify(reissued),
		"curl -s " + c.Base + "/v1/credentials/" + creds["shadowing-finland"] + "/verification",
		"curl -s " + c.Base + "/.well-known/jwks.json",
	}, nil
}
