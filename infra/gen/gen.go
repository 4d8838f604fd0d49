// Package gen generates a realistic ledger log for tests and benchmarks:
// organisations with signing keys, their staff, and mobilities with 3 to 8
// planned outcomes, completed, cancelled, recognised, and credentials issued,
// revoked, suspended and reinstated, interleaved in time as a real ledger's
// would be. The same seed gives the same log.
package gen

import (
	"crypto/ecdh"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
)

// Event is a generated domain event: the stream it belongs to, and the
// events of other streams that the domain requires to be recorded first.
type Event struct {
	Stream string
	Event  domain.Event
	at     time.Time
	after  []*Event
	index  int
}

// Events returns exactly n events (n > 0) in the order a ledger would have
// recorded them.
func Events(n int, seed int64) []*Event {
	g := &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x1ed9e7)), start: time.Date(2022, 1, 3, 8, 0, 0, 0, time.UTC), issued: map[string]int{}}
	for len(g.events) < n+n/5 {
		g.organisation()
	}
	slices.SortStableFunc(g.events, func(a, b *Event) int { return a.at.Compare(b.at) })
	out := g.events[:n]
	for i, e := range out {
		e.index = i
	}
	return out
}

// generator accumulates events; each organisation brings its staff and their
// mobilities.
type generator struct {
	rng    *rand.Rand
	start  time.Time
	events []*Event
	orgs   []organisation.Registered
	keys   int
	issued map[string]int // status entries handed out, by issuer
}

// add records e in stream at time at, after the events named.
func (g *generator) add(stream string, e domain.Event, at time.Time, after ...*Event) *Event {
	ev := &Event{Stream: stream, Event: e, at: at, after: after}
	g.events = append(g.events, ev)
	return ev
}

// id returns a fresh identifier with prefix, such as "mob_3f2a…".
func (g *generator) id(prefix string) string { return fmt.Sprintf("%s_%016x", prefix, g.rng.Uint64()) }

func (g *generator) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

// days returns a duration of between lo and hi days, with a random time of day.
func (g *generator) days(lo, hi int) time.Duration {
	return time.Duration(lo+g.rng.IntN(hi-lo+1))*24*time.Hour + time.Duration(g.rng.IntN(86400))*time.Second
}

// organisation registers an organisation with a signing key, and enrols its staff.
func (g *generator) organisation() {
	at := g.start.Add(time.Duration(len(g.orgs)) * time.Hour)
	country := g.pick(countries)
	org := organisation.Registered{OID: fmt.Sprintf("E%08d", 10000000+g.rng.IntN(89999999)), Country: country,
		Name: g.pick(orgWords) + " " + g.pick(orgNames), Kind: organisation.KindECECCentre}
	if g.rng.IntN(3) == 0 {
		org.Kind = organisation.KindSchool
	}
	if g.rng.IntN(2) == 0 {
		org.Accreditation = fmt.Sprintf("2021-1-%s01-KA120-SCH-%09d", country, g.rng.IntN(1e9))
	}
	g.orgs = append(g.orgs, org)
	reg := g.add(domain.OrganisationStream(org.OID), org, at)
	key := g.signingKey(org, at.Add(time.Minute), reg)
	for range 5 + g.rng.IntN(20) {
		g.participant(org, key, at.Add(g.days(1, 700)), reg)
	}
}

// signingKey registers a credential-signing key for org.
func (g *generator) signingKey(org organisation.Registered, at time.Time, after *Event) *Event {
	scalar := make([]byte, 32)
	for {
		for i := range scalar {
			scalar[i] = byte(g.rng.UintN(256))
		}
		if k, err := ecdh.P256().NewPrivateKey(scalar); err == nil {
			point := k.PublicKey().Bytes()
			jwk := credential.JWK{Kty: "EC", Crv: "P-256",
				X: base64.RawURLEncoding.EncodeToString(point[1:33]), Y: base64.RawURLEncoding.EncodeToString(point[33:])}
			g.keys++
			e := credential.KeyRegistered{KeyID: fmt.Sprintf("%s-key-%d", org.OID, g.keys), OID: org.OID, PublicJWK: jwk, RegisteredAt: at}
			return g.add(credential.KeyStream(e.KeyID), e, at, after)
		}
	}
}

// participant enrols a staff member of org and records their mobilities.
func (g *generator) participant(org organisation.Registered, key *Event, at time.Time, reg *Event) {
	role := participant.RoleECECCore
	if g.rng.IntN(3) == 0 {
		role = participant.RoleECECAssisting
	}
	e := participant.Enrolled{ParticipantID: g.id("par"), Org: org.OID, Role: role, PersonalData: domain.PersonalData{
		GivenName: g.pick(givenNames), FamilyName: g.pick(familyNames), BirthDate: fmt.Sprintf("19%02d-%02d-%02d", 60+g.rng.IntN(40), 1+g.rng.IntN(12), 1+g.rng.IntN(28))}}
	enrolled := g.add(domain.ParticipantStream(e.ParticipantID), e, at, reg)
	for range 1 + g.rng.IntN(5) {
		at = at.Add(g.days(20, 200))
		g.mobility(org, e.ParticipantID, key, at, enrolled)
	}
}
