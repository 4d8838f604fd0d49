package gen

import (
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
)

// mobility records a mobility agreed at time at and what became of it: most
// are completed, some cancelled; most completed ones are recognised and get a
// credential, a few of which are later revoked or suspended.
func (g *generator) mobility(org organisation.Registered, pid string, key *Event, at time.Time, enrolled *Event) {
	agreed := g.agreement(org, pid, at)
	stream := domain.MobilityStream(agreed.MobilityID)
	last := g.add(stream, agreed, at, enrolled)
	switch roll := g.rng.IntN(100); {
	case roll < 8:
		g.add(stream, mobility.Cancelled{MobilityID: agreed.MobilityID, Reason: "The host postponed the placement."}, at.Add(g.days(1, 30)))
		return
	case roll < 15:
		return // still planned
	}
	done := agreed.EndDate.Time().Add(g.days(1, 20))
	last = g.add(stream, g.completion(agreed), done)
	if g.rng.IntN(10) < 8 {
		dec := []mobility.Decision{mobility.DecisionFull, mobility.DecisionFull, mobility.DecisionFull, mobility.DecisionPartial, mobility.DecisionNone}[g.rng.IntN(5)]
		last = g.add(stream, mobility.Recognised{MobilityID: agreed.MobilityID, Decision: dec, Note: "Counted towards the staff CPD plan."}, done.Add(g.days(1, 30)))
	}
	if g.rng.IntN(10) < 7 {
		g.credential(agreed, key, last.at.Add(g.days(0, 10)), last, key)
	}
}

// agreement is the learning agreement of a new mobility of pid, sent by org.
func (g *generator) agreement(org organisation.Registered, pid string, at time.Time) mobility.Agreed {
	act := activities[g.rng.IntN(len(activities))]
	lim, _ := mobility.DurationLimits(act)
	start := domain.DateOf(at.Add(g.days(30, 120)))
	end := domain.DateOf(start.Time().Add(time.Duration(lim.MinDays+g.rng.IntN(min(lim.MaxDays, 30)-lim.MinDays+1)-1) * 24 * time.Hour))
	host := mobility.Host{Name: g.pick(orgWords) + " " + g.pick(orgNames), Country: g.pick(countries)}
	if len(g.orgs) > 1 && g.rng.IntN(2) == 0 {
		h := g.orgs[g.rng.IntN(len(g.orgs))]
		host = mobility.Host{OID: h.OID, Country: h.Country}
	}
	outcomes := make([]mobility.PlannedOutcome, 3+g.rng.IntN(6))
	for i := range outcomes {
		outcomes[i] = mobility.PlannedOutcome{ID: fmt.Sprintf("out_%d", i+1), Title: g.pick(outcomeTitles),
			Description: g.pick(outcomeNotes), EQFLevel: 4 + g.rng.IntN(4),
			ESCOURI: fmt.Sprintf("http://data.europa.eu/esco/skill/%08x-%04x-4%03x-a%03x-%012x",
				g.rng.Uint32(), g.rng.IntN(1<<16), g.rng.IntN(1<<12), g.rng.IntN(1<<12), g.rng.Uint64()&(1<<48-1))}
	}
	return mobility.Agreed{MobilityID: g.id("mob"), ParticipantID: pid, SendingOrg: org.OID, Host: host, Activity: act,
		StartDate: start, EndDate: end, Language: "en", Outcomes: outcomes,
		ProjectCode: fmt.Sprintf("%d-1-%s02-KA121-SCH-%09d", 2022+g.rng.IntN(3), org.Country, g.rng.IntN(1e9))}
}

// completion records the results of every planned outcome of a.
func (g *generator) completion(a mobility.Agreed) mobility.Completed {
	results := make([]mobility.OutcomeResult, len(a.Outcomes))
	for i, o := range a.Outcomes {
		r := mobility.ResultAchieved
		switch roll := g.rng.IntN(10); {
		case roll == 0:
			r = mobility.ResultNotAchieved
		case roll < 3:
			r = mobility.ResultPartiallyAchieved
		}
		results[i] = mobility.OutcomeResult{OutcomeID: o.ID, Result: r, Evidence: g.pick(evidence)}
	}
	c := mobility.Completed{MobilityID: a.MobilityID, StartDate: a.StartDate, EndDate: a.EndDate, Results: results}
	hours := float64(6 * a.StartDate.DaysThrough(a.EndDate))
	c.Hours = &hours
	if g.rng.IntN(2) == 0 {
		ects := float64(1 + g.rng.IntN(4))
		c.ECTS = &ects
	}
	return c
}

// credential issues a credential for mobility a with the key registered by
// key, and sometimes revokes or suspends it later.
func (g *generator) credential(a mobility.Agreed, key *Event, at time.Time, after ...*Event) {
	k := key.Event.(credential.KeyRegistered)
	id := g.id("cred")
	issued := credential.Issued{CredentialID: id, MobilityID: a.MobilityID, ParticipantID: a.ParticipantID, IssuerOID: a.SendingOrg,
		KeyID: k.KeyID, ValidFrom: at.Truncate(time.Second), TokenSHA256: fmt.Sprintf("%016x%016x%016x%016x", g.rng.Uint64(), g.rng.Uint64(), g.rng.Uint64(), g.rng.Uint64()),
		RevocationList: a.SendingOrg + "-revocation-1", RevocationIndex: g.statusIndex(a.SendingOrg),
		SuspensionList: a.SendingOrg + "-suspension-1", SuspensionIndex: g.statusIndex(a.SendingOrg)}
	stream := credential.Stream(id)
	g.add(stream, issued, at, after...)
	switch roll := g.rng.IntN(100); {
	case roll < 3:
		g.add(stream, credential.Revoked{CredentialID: id, Reason: "Issued for the wrong mobility."}, at.Add(g.days(5, 200)))
	case roll < 6:
		later := at.Add(g.days(5, 100))
		g.add(stream, credential.Suspended{CredentialID: id, Reason: "Under review."}, later)
		if roll < 5 {
			g.add(stream, credential.Reinstated{CredentialID: id, Reason: "Review completed."}, later.Add(g.days(1, 30)))
		}
	}
}

// listSize is the number of entries of a generated status list.
const listSize = 131072

// statusIndex returns the next entry of org's status lists: distinct for the
// first listSize calls, and scattered, as the Bitstring Status List
// specification asks, by stepping through the list with an odd stride.
func (g *generator) statusIndex(org string) int {
	n := g.issued[org]
	g.issued[org]++
	return n * 7919 % listSize
}
