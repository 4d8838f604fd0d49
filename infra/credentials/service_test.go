package credentials_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/commands"
	"github.com/erasmus-ledger/ledger/infra/credentials"
	"github.com/erasmus-ledger/ledger/infra/credentials/internal/dbtest"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
	"github.com/erasmus-ledger/ledger/infra/pii"
	"github.com/erasmus-ledger/ledger/infra/projector"
	"github.com/erasmus-ledger/ledger/infra/secrets"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
)

const (
	sendingOID = "E10208051"
	mobilityID = "mob-1"
)

var (
	admin  = domain.Actor{Subject: "admin-1", Roles: []domain.Role{domain.RoleAdmin}}
	issuer = domain.Actor{Subject: "issuer-1", Roles: []domain.Role{domain.RoleIssuer}, Org: sendingOID}
)

// newService returns a service over b whose log holds a registered
// organisation, an enrolled participant and a completed mobility.
func newService(t *testing.T, b store.Backend) (*credentials.Service, *commands.Service) {
	t.Helper()
	master, err := secrets.NewAEAD(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		t.Fatal(err)
	}
	c := codec.New(pii.NewKeyring(b.DB(), master), organisation.EventTypes(), participant.EventTypes(), mobility.EventTypes(), credential.EventTypes())
	cmds := commands.New(b, c, time.Now)
	urls, err := credentials.NewURLs("https://ledger.example.eu")
	if err != nil {
		t.Fatal(err)
	}
	appendEvents(t, cmds, domain.OrganisationStream(sendingOID), organisation.Registered{OID: sendingOID, Name: "Kita Sonnenblume", Country: "DE"})
	appendEvents(t, cmds, domain.ParticipantStream("par-1"), participant.Enrolled{ParticipantID: "par-1", Org: sendingOID,
		Role: participant.RoleECECCore, PersonalData: domain.PersonalData{GivenName: "Zofia", FamilyName: "Quellenberg"}})
	ects := 2.0
	appendEvents(t, cmds, domain.MobilityStream(mobilityID),
		mobility.Agreed{MobilityID: mobilityID, ParticipantID: "par-1", SendingOrg: sendingOID, Activity: mobility.ActivityJobShadowing,
			Host: mobility.Host{Name: "Päiväkoti Tähti", Country: "FI"}, StartDate: domain.MustDate("2025-03-10"), EndDate: domain.MustDate("2025-03-19"),
			Outcomes: []mobility.PlannedOutcome{{ID: "out-1", Title: "Outdoor learning", EQFLevel: 5}}},
		mobility.Completed{MobilityID: mobilityID, StartDate: domain.MustDate("2025-03-10"), EndDate: domain.MustDate("2025-03-19"),
			Results: []mobility.OutcomeResult{{OutcomeID: "out-1", Result: mobility.ResultAchieved}}, ECTS: &ects})
	runner, err := projector.New(t.Context(), projector.Config{Backend: b, Codec: c, Projections: []projections.Projection{credentialstatus.Projection{}}})
	if err != nil {
		t.Fatal(err)
	}
	return credentials.NewService(cmds, credentials.NewKeyStore(b.DB(), master), statuslist.NewAllocator(b.DB()), runner, urls), cmds
}

func appendEvents(t *testing.T, cmds *commands.Service, stream string, events ...domain.Event) {
	t.Helper()
	_, err := cmds.Execute(t.Context(), stream, nil, store.Metadata{}, func([]domain.Event, time.Time) ([]domain.Event, error) {
		return events, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCredentialID(t *testing.T) {
	first, second := credentials.CredentialID("mob_5kq3", 1), credentials.CredentialID("mob_5kq3", 2)
	if first == second || first != credentials.CredentialID("mob_5kq3", 1) || credentials.CredentialID("mob_other", 1) == first {
		t.Fatalf("IDs %s, %s: want one per mobility and number, always the same", first, second)
	}
	if err := domain.ValidID("id", first); err != nil {
		t.Fatal(err)
	}
}

// TestServiceStatusFromTheLog issues a credential and revokes it, and reads
// its bit, its status list and its record as of times before and after.
func TestServiceStatusFromTheLog(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, b store.Backend) {
		ctx := t.Context()
		svc, _ := newService(t, b)
		if _, err := svc.CreateKey(ctx, issuer, sendingOID, store.Metadata{}); !errors.Is(err, domain.ErrForbidden) {
			t.Fatalf("an issuer created a key: %v", err)
		}
		if _, err := svc.Issue(ctx, issuer, mobilityID, store.Metadata{}); !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("issued without a signing key: %v", err)
		}
		if _, err := svc.CreateKey(ctx, admin, sendingOID, store.Metadata{}); err != nil {
			t.Fatal(err)
		}
		iss, err := svc.Issue(ctx, issuer, mobilityID, store.Metadata{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := credentials.ParsePresented(iss.Token)
		if err != nil {
			t.Fatal(err)
		}
		entry := p.Claims.Status[0]
		issued := time.Now()
		if _, err := svc.ChangeStatus(ctx, iss.ID, nil, store.Metadata{}, func(c credential.Credential, at time.Time) ([]domain.Event, error) {
			return c.Revoke(issuer, "issued in error", at)
		}); err != nil {
			t.Fatal(err)
		}
		revoked := time.Now()
		checkBit(t, svc, entry, issued, false)
		checkBit(t, svc, entry, revoked, true)
		checkBit(t, svc, entry, time.Time{}, true)
		checkList(t, svc, entry, issued, false)
		checkList(t, svc, entry, revoked, true)
		checkList(t, svc, entry, time.Time{}, true)
		checkRecord(t, svc, iss)
	})
}

func checkBit(t *testing.T, svc *credentials.Service, e credentials.StatusClaim, at time.Time, want bool) {
	t.Helper()
	index := mustIndex(t, e)
	got, err := svc.StatusBit(t.Context(), e.StatusListCredential, index, statuslist.Purpose(e.StatusPurpose), at)
	if err != nil || got != want {
		t.Errorf("StatusBit(%s) = %v, %v; want %v", at, got, err, want)
	}
}

// checkList reads the served list as of at and the entry's bit in it.
func checkList(t *testing.T, svc *credentials.Service, e credentials.StatusClaim, at time.Time, want bool) {
	t.Helper()
	id, _ := svc.URLs().StatusListID(e.StatusListCredential)
	l, err := svc.StatusList(t.Context(), id, at)
	if err != nil {
		t.Fatal(err)
	}
	p, err := credentials.ParsePresented(l.Token)
	if err != nil {
		t.Fatal(err)
	}
	var list credentials.BitstringStatusListCredential
	if err := json.Unmarshal(p.Payload, &list); err != nil {
		t.Fatal(err)
	}
	bits, err := statuslist.Decode(list.CredentialSubject.EncodedList)
	if err != nil {
		t.Fatal(err)
	}
	fresh := at.IsZero() && time.Since(list.ValidFrom) < time.Minute
	if got, err := bits.Get(mustIndex(t, e)); err != nil || got != want || !(fresh || list.ValidFrom.Equal(at.UTC().Truncate(time.Second))) {
		t.Errorf("list as of %s: bit %v (%v), validFrom %s; want %v", at, got, err, list.ValidFrom, want)
	}
}

// checkRecord looks the credential up, first uncached: LookupIssued tells
// the index of its issuance once, before it answers; then cached, when
// IssuedIndex knows it without reading.
func checkRecord(t *testing.T, svc *credentials.Service, iss credentials.Issuance) {
	t.Helper()
	var told []uint64
	r, err := svc.LookupIssued(t.Context(), iss.ID, func(index uint64) { told = append(told, index) })
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != credential.StatusRevoked || r.Valid || r.RevokedAt == nil || r.Log.Index != iss.LogIndex ||
		r.Holder.Name != "Zofia Quellenberg" || r.Achievement.Outcomes[0].Result != "achieved" {
		t.Errorf("record after revocation: %+v", r)
	}
	if len(told) != 1 || told[0] != iss.LogIndex {
		t.Errorf("the uncached lookup told the issuance's index as %v, want once %d", told, iss.LogIndex)
	}
	if index, ok := svc.IssuedIndex(iss.ID); !ok || index != iss.LogIndex {
		t.Errorf("IssuedIndex of the cached record = %d, %v; want %d", index, ok, iss.LogIndex)
	}
	told = nil
	if _, err := svc.LookupIssued(t.Context(), "cred-none-1", func(index uint64) { told = append(told, index) }); !errors.Is(err, domain.ErrNotFound) || told != nil {
		t.Errorf("Lookup of an unknown credential: %v, told index %v", err, told)
	}
}

// TestServiceRefusesForeignReferences also checks that a key the service
// resolves carries its public key, parsed once.
func TestServiceRefusesForeignReferences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, b store.Backend) {
		ctx := t.Context()
		svc, _ := newService(t, b)
		if _, err := svc.CreateKey(ctx, admin, sendingOID, store.Metadata{}); err != nil {
			t.Fatal(err)
		}
		iss, err := svc.Issue(ctx, issuer, mobilityID, store.Metadata{})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := credentials.ParsePresented(iss.Token)
		rev := p.Claims.Status[0]
		k, err := svc.ResolveKey(ctx, p.Header.Kid)
		if err != nil {
			t.Fatal(err)
		}
		got := credentials.ParsedPublicKey(k)
		if want, _ := credentials.PublicKey(k.Key.PublicJWK); got == nil || want == nil || !want.Equal(got) {
			t.Errorf("ResolveKey remembered the public key %v, want %v", got, want)
		}
		if _, err := svc.ResolveKey(ctx, "https://elsewhere.example/v1/keys/k"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ResolveKey of a foreign kid: %v", err)
		}
		if _, err := svc.Recorded(ctx, svc.URLs().Credential("cred-none-1")); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Recorded of a credential never issued: %v", err)
		}
		foreign := strings.Replace(rev.StatusListCredential, "ledger.example.eu", "elsewhere.example", 1)
		if _, err := svc.StatusBit(ctx, foreign, 1, statuslist.Revocation, time.Now()); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("StatusBit of a foreign list: %v", err)
		}
		if _, err := svc.StatusBit(ctx, rev.StatusListCredential, 1, statuslist.Suspension, time.Now()); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("StatusBit of a revocation list read for suspension: %v", err)
		}
		if _, err := svc.StatusBit(ctx, rev.StatusListCredential, statuslist.MinSize, statuslist.Revocation, time.Now()); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("StatusBit past the end of the list: %v", err)
		}
		if _, err := svc.StatusList(ctx, "nope", time.Now()); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("StatusList of an unknown list: %v", err)
		}
	})
}

func mustIndex(t *testing.T, e credentials.StatusClaim) int {
	t.Helper()
	i, err := strconv.Atoi(e.StatusListIndex)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// TestRecordNamesItsHostAsRegistered issues a credential for a mobility whose
// host is known by its OID only, then registers the host: the record, read
// and cached before, names the host as registered afterwards.
func TestRecordNamesItsHostAsRegistered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, b store.Backend) {
		ctx := t.Context()
		svc, cmds := newService(t, b)
		const hostOID, hosted = "E10151149", "mob-2"
		appendEvents(t, cmds, domain.MobilityStream(hosted),
			mobility.Agreed{MobilityID: hosted, ParticipantID: "par-1", SendingOrg: sendingOID, Activity: mobility.ActivityJobShadowing,
				Host: mobility.Host{OID: hostOID}, StartDate: domain.MustDate("2025-04-07"), EndDate: domain.MustDate("2025-04-11"),
				Outcomes: []mobility.PlannedOutcome{{ID: "out-1", Title: "Outdoor learning", EQFLevel: 5}}},
			mobility.Completed{MobilityID: hosted, StartDate: domain.MustDate("2025-04-07"), EndDate: domain.MustDate("2025-04-11"),
				Results: []mobility.OutcomeResult{{OutcomeID: "out-1", Result: mobility.ResultAchieved}}})
		if _, err := svc.CreateKey(ctx, admin, sendingOID, store.Metadata{}); err != nil {
			t.Fatal(err)
		}
		iss, err := svc.Issue(ctx, issuer, hosted, store.Metadata{})
		if err != nil {
			t.Fatal(err)
		}
		host := func() credentials.HostSummary {
			t.Helper()
			r, err := svc.Lookup(ctx, iss.ID)
			if err != nil {
				t.Fatal(err)
			}
			return r.Achievement.Host
		}
		if got := host(); got.Name != "Organisation "+hostOID {
			t.Fatalf("host before its registration: %+v", got)
		}
		if index, ok := svc.IssuedIndex(iss.ID); !ok || index != iss.LogIndex {
			t.Fatalf("IssuedIndex of a looked-up credential = %d, %v; want %d", index, ok, iss.LogIndex)
		}
		if _, ok := svc.IssuedIndex("cred-none-1"); ok {
			t.Fatal("IssuedIndex of an unknown credential is known")
		}
		appendEvents(t, cmds, domain.OrganisationStream(hostOID), organisation.Registered{OID: hostOID, Name: "Escola Girassol", Country: "PT"})
		if got := host(); got.Name != "Escola Girassol" || got.Country != "PT" || got.OID != hostOID {
			t.Fatalf("host after its registration: %+v", got)
		}
	})
}
