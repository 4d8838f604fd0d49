package projections_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
	"github.com/erasmus-ledger/ledger/projections/directory"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// BenchmarkFold folds each read model, in memory, over the log of one
// organisation: 100 staff, each with a mobility of five outcomes agreed,
// completed, recognised and credentialed. It measures the folds alone, the
// part of a rebuild that does no I/O.
func BenchmarkFold(b *testing.B) {
	events := organisationLog(100)
	for _, p := range []projections.Projection{transcript.Projection{}, directory.Projection{}, credentialstatus.Projection{}} {
		b.Run(p.Name(), func(b *testing.B) {
			for b.Loop() {
				if err := projections.Fold(b.Context(), p, projections.NewMemory(), events); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(events))/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// organisationLog is the log of one organisation and staff members.
func organisationLog(staff int) []projections.Event {
	at := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	const oid = "E10208051"
	var log []projections.Event
	add := func(stream string, e domain.Event) {
		at = at.Add(time.Minute)
		log = append(log, projections.Event{Index: uint64(len(log)), Stream: stream, RecordedAt: at, Data: e})
	}
	add(domain.OrganisationStream(oid), organisation.Registered{OID: oid, Name: "Kita Sonnenblume", Country: "DE", Kind: organisation.KindECECCentre})
	for i := range staff {
		pid, mid, cid := fmt.Sprintf("par_%04d", i), fmt.Sprintf("mob_%04d", i), fmt.Sprintf("cred_%04d", i)
		add(domain.ParticipantStream(pid), participant.Enrolled{ParticipantID: pid, Org: oid, Role: participant.RoleECECCore})
		agreed := agreement(mid, pid, oid)
		add(domain.MobilityStream(mid), agreed)
		add(domain.MobilityStream(mid), completion(agreed))
		add(domain.MobilityStream(mid), mobility.Recognised{MobilityID: mid, Decision: mobility.DecisionFull, Note: "Counted towards the CPD plan."})
		add(credential.Stream(cid), credential.Issued{CredentialID: cid, MobilityID: mid, ParticipantID: pid, IssuerOID: oid,
			KeyID: oid + "-key-1", ValidFrom: at.Truncate(time.Second), TokenSHA256: fmt.Sprintf("%064x", i),
			RevocationList: oid + "-revocation-1", RevocationIndex: i * 7919, SuspensionList: oid + "-suspension-1", SuspensionIndex: i * 7919})
	}
	return log
}

// agreement is a job-shadowing mobility of pid with five planned outcomes.
func agreement(mid, pid, oid string) mobility.Agreed {
	a := mobility.Agreed{MobilityID: mid, ParticipantID: pid, SendingOrg: oid, Host: mobility.Host{Name: "Päiväkoti Tähti", Country: "FI"},
		Activity: mobility.ActivityJobShadowing, StartDate: domain.MustDate("2025-03-03"), EndDate: domain.MustDate("2025-03-14"),
		ProjectCode: "2024-1-DE02-KA121-SCH-000123456", Language: "en"}
	for k := range 5 {
		a.Outcomes = append(a.Outcomes, mobility.PlannedOutcome{ID: fmt.Sprintf("out_%d", k+1), Title: "Plan outdoor learning in all seasons",
			Description: "Observed by the host mentor over the whole placement.", EQFLevel: 5,
			ESCOURI: "http://data.europa.eu/esco/skill/5c8a3e2b-1f0d-4b7e-9c1a-2f3e4d5c6b7a"})
	}
	return a
}

// completion achieves every planned outcome of a.
func completion(a mobility.Agreed) mobility.Completed {
	c := mobility.Completed{MobilityID: a.MobilityID, StartDate: a.StartDate, EndDate: a.EndDate}
	for _, o := range a.Outcomes {
		c.Results = append(c.Results, mobility.OutcomeResult{OutcomeID: o.ID, Result: mobility.ResultAchieved, Evidence: "portfolio"})
	}
	return c
}
