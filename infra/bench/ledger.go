package bench

import (
	"context"
	"errors"
	"fmt"

	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/gen"
	"github.com/erasmus-ledger/ledger/infra/pii"
	"github.com/erasmus-ledger/ledger/infra/secrets"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// largeLedger is the ledger the read scenarios (rebuild, audit,
// verification, memory) measure: Sizes.LedgerEvents generated events,
// recorded through the store with personal data sealed under the ledger's
// own keyring, as a ledger that had been in use would hold them.
type largeLedger struct {
	loc    Location
	master []byte // the master key the ledger's secrets are wrapped with
	size   int
	facts  ledgerFacts
}

// ledgerFacts are what the scenarios need to know of the generated ledger.
type ledgerFacts struct {
	credentials []string             // every issued credential's ID, in log order
	uncredited  []uncreditedMobility // completed mobilities without a credential
	revoked     map[string]bool      // credentials revoked
}

// uncreditedMobility is a completed mobility a credential can be issued for.
type uncreditedMobility struct{ id, org string }

// loadWriters is how many concurrent writers record the large ledger. Most
// of them wait for the events their next one comes after; the more there
// are, the more each group commit holds.
const loadWriters = 1024

// largeLedger returns e's large ledger, building it on first use.
func (e *Env) largeLedger(ctx context.Context) (*largeLedger, error) {
	return fixture(e, "ledger", func() (*largeLedger, error) { return buildLedger(ctx, e) })
}

// buildLedger generates the large ledger and records it in a new database.
func buildLedger(ctx context.Context, e *Env) (*largeLedger, error) {
	loc, err := e.Database(ctx, "ledger")
	if err != nil {
		return nil, err
	}
	l := &largeLedger{loc: loc, master: newMasterKey(), size: e.Sizes.LedgerEvents}
	log, err := e.OpenStore(ctx, loc, nil)
	if err != nil {
		return nil, err
	}
	appends, err := l.generate(ctx, e)
	if err != nil {
		return nil, err
	}
	counter := e.count("recording the large ledger", len(appends))
	err = gen.Load(ctx, countingLog{log, counter}, appends, loadWriters)
	counter.Done()
	return l, errors.Join(err, log.Close())
}

// generate generates the ledger's events, notes its facts and encodes the
// events with the ledger's keyring.
func (l *largeLedger) generate(ctx context.Context, e *Env) ([]gen.Append, error) {
	e.Progress.Printf("generating %d events", l.size)
	events := gen.Events(l.size, e.Seed)
	l.facts = factsOf(events)
	db, err := openFast(e, l.loc)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	master, err := secrets.NewAEAD(l.master)
	if err != nil {
		return nil, err
	}
	e.Progress.Printf("encoding %d events, sealing personal data", l.size)
	appends, err := gen.Encode(ctx, codec.New(pii.NewKeyring(db, master), eventTypes()...), events)
	if err != nil {
		return nil, fmt.Errorf("encode the large ledger: %w", err)
	}
	return appends, nil
}

// factsOf notes the credentials of events, and the mobilities completed
// without one.
func factsOf(events []*gen.Event) ledgerFacts {
	f := ledgerFacts{revoked: map[string]bool{}}
	completed := map[string]string{} // mobility ID to sending organisation, until credited
	sending := map[string]string{}
	var order []string
	for _, e := range events {
		switch ev := e.Event.(type) {
		case mobility.Agreed:
			sending[ev.MobilityID] = ev.SendingOrg
		case mobility.Completed:
			completed[ev.MobilityID] = sending[ev.MobilityID]
			order = append(order, ev.MobilityID)
		case credential.Issued:
			f.credentials = append(f.credentials, ev.CredentialID)
			delete(completed, ev.MobilityID)
		case credential.Revoked:
			f.revoked[ev.CredentialID] = true
		}
	}
	for _, id := range order {
		if org, ok := completed[id]; ok {
			f.uncredited = append(f.uncredited, uncreditedMobility{id: id, org: org})
		}
	}
	return f
}

// countingLog is a log that counts appended events.
type countingLog struct {
	store.Log
	c *Counter
}

func (l countingLog) Append(ctx context.Context, stream string, expected uint64, events []store.Event) ([]store.Record, error) {
	recs, err := l.Log.Append(ctx, stream, expected, events)
	if err == nil {
		l.c.Add(len(recs))
	}
	return recs, err
}
