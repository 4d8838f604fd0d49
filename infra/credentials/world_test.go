package credentials

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"testing"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
)

// The times of the test world: the key is registered, then the credential
// issued and recorded, then verified.
var (
	keyTime    = time.Date(2025, 1, 2, 8, 0, 0, 250_000_000, time.UTC)
	issueTime  = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	verifyTime = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
)

const testOID = "E10208051"

// world is a small ledger for verification tests: one organisation with one
// key, status lists and a log, behind the Verifier's ports.
type world struct {
	t      testing.TB
	urls   URLs
	issuer Issuer
	keys   fakeKeys
	status fakeStatus
	ledger fakeLedger
	signer Signer
	key    *ecdsa.PrivateKey
}

func newWorld(t testing.TB) *world { return newWorldAt(t, "https://ledger.example.eu/") }

// newWorldAt is newWorld with the public base URL base.
func newWorldAt(t testing.TB, base string) *world {
	t.Helper()
	urls, err := NewURLs(base)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, urls: urls, keys: fakeKeys{}, status: fakeStatus{}, ledger: fakeLedger{},
		issuer: Issuer{ID: urls.Organisation(testOID), OID: testOID, Name: "Scuola dell'Infanzia Girasole", Country: "IT"}}
	w.key = w.addKey("key-1", keyTime)
	w.signer = Signer{Kid: urls.Key("key-1"), Key: w.key}
	for _, purpose := range []statuslist.Purpose{statuslist.Revocation, statuslist.Suspension} {
		w.status[w.urls.StatusList(string(purpose)+"-list")] = map[int]bool{}
	}
	return w
}

// addKey generates and registers a key of the organisation.
func (w *world) addKey(id string, at time.Time) *ecdsa.PrivateKey {
	w.t.Helper()
	priv, err := GenerateKey()
	if err != nil {
		w.t.Fatal(err)
	}
	jwk, err := PublicJWK(&priv.PublicKey)
	if err != nil {
		w.t.Fatal(err)
	}
	w.keys[w.urls.Key(id)] = IssuerKey{Issuer: w.issuer,
		Key: credential.FoldKey(credential.KeyRegistered{KeyID: id, OID: testOID, PublicJWK: jwk, RegisteredAt: at})}
	return priv
}

// revokeKey records the revocation of key id at at.
func (w *world) revokeKey(id string, at time.Time) {
	k := w.keys[w.urls.Key(id)]
	k.Key.Apply(credential.KeyRevoked{KeyID: id, OID: testOID, RevokedAt: at})
	w.keys[w.urls.Key(id)] = k
}

func (w *world) verifier() *Verifier {
	return &Verifier{Keys: w.keys, Status: w.status, Ledger: w.ledger, Now: func() time.Time { return verifyTime }}
}

// badge is the credential of credential ID id, issued at issueTime.
func (w *world) badge(id string) Badge {
	ects := 2.5
	return Badge{
		ID:     w.urls.Credential(id),
		Issuer: w.issuer,
		Holder: Holder{ID: w.urls.Participant("par-1"), Name: "Giulia Bianchi"},
		Mobility: Mobility{
			URL:       w.urls.Mobility("mob-1"),
			Activity:  "job_shadowing",
			Host:      Host{OID: "E10151149", Name: "Kita Sonnenschein", Country: "DE"},
			StartDate: domain.MustDate("2025-02-03"),
			EndDate:   domain.MustDate("2025-02-14"),
			Language:  "de",
			ECTS:      &ects,
			Outcomes: []Outcome{
				{ID: "o1", Title: "Plan outdoor learning for children aged 3 to 6", Description: "Forest days in all seasons.",
					EQFLevel: 5, ESCOURI: "http://data.europa.eu/esco/skill/0f5f2a49-0c2e-4b3b-8d0b-6f3c2b1e7a10", Result: "achieved"},
				{ID: "o2", Title: "Document children's learning with portfolios", EQFLevel: 4, Result: "partially_achieved"},
			},
		},
		ValidFrom: issueTime,
		Status: []StatusRef{
			{Purpose: "revocation", ListURL: w.urls.StatusList("revocation-list"), Index: 94567},
			{Purpose: "suspension", ListURL: w.urls.StatusList("suspension-list"), Index: 1234},
		},
	}
}

// sign builds and signs b with s.
func (w *world) sign(s Signer, b Badge) string {
	w.t.Helper()
	c, err := BuildBadge(b)
	if err != nil {
		w.t.Fatal(err)
	}
	token, err := s.SignCredential(c)
	if err != nil {
		w.t.Fatal(err)
	}
	return token
}

// issue signs b with the world's signer and records it in the log.
func (w *world) issue(b Badge) string {
	token := w.sign(w.signer, b)
	w.record(b.ID, token)
	return token
}

func (w *world) record(id, token string) {
	w.ledger[id] = Recorded{TokenSHA256: TokenSHA256(token), LogIndex: uint64(len(w.ledger) + 7), RecordedAt: issueTime}
}

// fakeKeys resolves kids to keys.
type fakeKeys map[string]IssuerKey

func (f fakeKeys) ResolveKey(_ context.Context, kid string) (IssuerKey, error) {
	k, ok := f[kid]
	if !ok {
		return IssuerKey{}, domain.NotFoundf("no key %s", kid)
	}
	return k, nil
}

// fakeStatus holds the set bits of each list, by list URL; unknown lists fail.
type fakeStatus map[string]map[int]bool

func (f fakeStatus) StatusBit(_ context.Context, list string, index int, _ statuslist.Purpose, _ time.Time) (bool, error) {
	bits, ok := f[list]
	if !ok {
		return false, domain.NotFoundf("status list %s is unknown", list)
	}
	return bits[index], nil
}

// fakeLedger holds what the log recorded, by credential URL.
type fakeLedger map[string]Recorded

func (f fakeLedger) Recorded(_ context.Context, id string) (Recorded, error) {
	r, ok := f[id]
	if !ok {
		return Recorded{}, domain.NotFoundf("no credential %s", id)
	}
	return r, nil
}

// brokenLedger fails as a database that is down does.
type brokenLedger struct{}

func (brokenLedger) Recorded(context.Context, string) (Recorded, error) {
	return Recorded{}, fmt.Errorf("read log: connection refused")
}
