package bench

import (
	"context"
	"errors"
	"fmt"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/domain/organisation"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/commands"
	"github.com/erasmus-ledger/ledger/infra/gen"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// plannedWorld is a ledger of organisations, their staff and n mobilities
// agreed but not completed, all ended by today: ready for completions.
type plannedWorld struct {
	orgs         []organisation.Registered
	participants []participant.Enrolled
	mobilities   []mobility.Agreed
}

// planWorld draws the world from a generated ledger: every organisation, and
// the first n mobilities that ended by today with their participants.
func planWorld(n int, seed int64, today domain.Date) (plannedWorld, error) {
	for size := 6 * n; size <= 1<<24; size *= 2 {
		if w := pickPlanned(gen.Events(size, seed), n, today); len(w.mobilities) == n {
			return w, nil
		}
	}
	return plannedWorld{}, fmt.Errorf("the generator gave fewer than %d mobilities that ended by %s", n, today)
}

// pickPlanned picks the world out of events.
func pickPlanned(events []*gen.Event, n int, today domain.Date) plannedWorld {
	var w plannedWorld
	enrolled := map[string]participant.Enrolled{}
	seen := map[string]bool{}
	for _, e := range events {
		switch ev := e.Event.(type) {
		case organisation.Registered:
			if !seen[ev.OID] {
				seen[ev.OID] = true
				w.orgs = append(w.orgs, ev)
			}
		case participant.Enrolled:
			enrolled[ev.ParticipantID] = ev
		case mobility.Agreed:
			if len(w.mobilities) < n && !ev.EndDate.After(today) {
				w.mobilities = append(w.mobilities, ev)
				if !seen[ev.ParticipantID] {
					seen[ev.ParticipantID] = true
					w.participants = append(w.participants, enrolled[ev.ParticipantID])
				}
			}
		}
	}
	return w
}

// encode returns the world's events in stored form, each the first of its
// stream.
func (w plannedWorld) encode(ctx context.Context, c *codec.Codec) ([]streamEvents, error) {
	var out []streamEvents
	add := func(stream string, e domain.Event) error {
		se, err := c.Encode(ctx, commands.NewID("ev"), e, store.Metadata{Actor: "ledgerbench"})
		out = append(out, streamEvents{Stream: stream, Events: []store.Event{se}})
		return err
	}
	for _, o := range w.orgs {
		if err := add(domain.OrganisationStream(o.OID), o); err != nil {
			return nil, err
		}
	}
	for _, p := range w.participants {
		if err := add(domain.ParticipantStream(p.ParticipantID), p); err != nil {
			return nil, err
		}
	}
	for _, m := range w.mobilities {
		if err := add(domain.MobilityStream(m.MobilityID), m); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// record writes the world into the ledger s serves, through its log, with
// concurrent writers, and returns an issuer token for each organisation.
func (w plannedWorld) record(ctx context.Context, e *Env, s *ledgerServer) (map[string]string, error) {
	c, closeDB, err := s.preparingCodec(e)
	if err != nil {
		return nil, err
	}
	streams, err := w.encode(ctx, c)
	if err = errors.Join(err, closeDB()); err != nil {
		return nil, err
	}
	counter := e.count("recording planned mobilities", len(streams))
	_, err = drive(ctx, e.Sizes.Writers, counter, appendWork(s.app.Backend, streams))
	counter.Done()
	if err != nil {
		return nil, err
	}
	return w.tokens(ctx, s)
}

// tokens mints an issuer token for every organisation.
func (w plannedWorld) tokens(ctx context.Context, s *ledgerServer) (map[string]string, error) {
	out := map[string]string{}
	for _, o := range w.orgs {
		tok, err := s.token(ctx, string(domain.RoleIssuer), o.OID)
		if err != nil {
			return nil, err
		}
		out[o.OID] = tok
	}
	return out, nil
}
