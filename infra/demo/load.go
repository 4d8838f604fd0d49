package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/erasmus-ledger/ledger/infra/store"
)

// Load finds the showcase records of demo data recorded by an earlier run on
// the ledger at base URL.
func Load(ctx context.Context, log store.Log, base string) (World, error) {
	w := World{IssuerOID: orgs[0].OID}
	completed, recognised := map[string]bool{}, map[string]bool{}
	var mobilities, credentials []string
	status := map[string]string{}
	for from := uint64(0); ; {
		recs, err := log.ReadLog(ctx, from, 1000)
		if err != nil {
			return World{}, err
		}
		if len(recs) == 0 {
			break
		}
		for _, r := range recs {
			var e struct {
				ParticipantID string `json:"participant_id"`
				MobilityID    string `json:"mobility_id"`
				CredentialID  string `json:"credential_id"`
				Org           string `json:"org"`
			}
			_ = json.Unmarshal(r.Data, &e)
			switch r.Type {
			case "participant.enrolled":
				if w.StaffID == "" && e.Org == w.IssuerOID {
					w.StaffID = e.ParticipantID
				}
			case "mobility.agreed":
				if e.ParticipantID == w.StaffID {
					mobilities = append(mobilities, e.MobilityID)
				}
			case "mobility.completed":
				completed[e.MobilityID] = true
				if w.UnrecognisedID == "" {
					w.UnrecognisedID = e.MobilityID
				}
			case "mobility.recognised":
				recognised[e.MobilityID] = true
			case "credential.issued":
				credentials = append(credentials, e.CredentialID)
				status[e.CredentialID] = "valid"
			case "credential.revoked", "credential.suspended":
				status[e.CredentialID] = strings.TrimPrefix(r.Type, "credential.")
			case "credential.reinstated":
				status[e.CredentialID] = "valid"
			}
		}
		from = recs[len(recs)-1].Index + 1
	}
	for _, id := range mobilities {
		if completed[id] && w.MobilityID == "" {
			w.MobilityID = id
		}
	}
	for id := range completed {
		if !recognised[id] {
			w.UnrecognisedID = id
		}
	}
	if len(credentials) > 0 {
		w.Links = append(w.Links, "Verification pages for employers (open in a browser):")
	}
	for _, id := range credentials {
		w.Links = append(w.Links, fmt.Sprintf("  %-10s %s/verify/%s", status[id]+":", base, id))
	}
	if w.StaffID == "" || w.MobilityID == "" {
		return World{}, errors.New("the store holds data that is not the demo's; use an empty --data directory")
	}
	return w, nil
}
