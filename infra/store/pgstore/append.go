package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

// Append implements store.Log. Appends wait in a queue; the committer commits
// everything queued in one transaction and one round trip.
func (s *Store) Append(ctx context.Context, stream string, expected uint64, events []store.Event) ([]store.Record, error) {
	return s.committer.Append(ctx, stream, expected, events)
}

// commit is the store's groupcommit.CommitFunc. It commits reqs in rounds
// of requests that can succeed together, each round in one transaction.
func (s *Store) commit(ctx context.Context, reqs []*groupcommit.Request) {
	reached := map[string]uint64{}
	for len(reqs) > 0 {
		var round []*groupcommit.Request
		round, reqs = nextRound(reqs, reached)
		if len(round) == 0 {
			return
		}
		s.commitRound(ctx, round)
		for _, r := range round {
			if r.Err() == nil {
				reached[r.Stream] = max(reached[r.Stream], r.Expected+uint64(len(r.Events)))
			}
		}
	}
}

// nextRound takes from reqs a round in which the requests on one stream
// follow each other: each expects the version the one before it leaves. A
// request that does not follow waits for a later round, so two appends that
// expect the same version never make a round fail. A request whose stream
// an earlier round took past its expected version fails at once: the
// unique (stream, version) constraint is certain to refuse it.
func nextRound(reqs []*groupcommit.Request, reached map[string]uint64) (round, later []*groupcommit.Request) {
	leaves := map[string]uint64{}
	for _, r := range reqs {
		if reached[r.Stream] > r.Expected {
			r.Fail(staleConflict(r))
			continue
		}
		if v, ok := leaves[r.Stream]; ok && v != r.Expected {
			later = append(later, r)
			continue
		}
		leaves[r.Stream] = r.Expected + uint64(len(r.Events))
		round = append(round, r)
	}
	return round, later
}

// commitRound commits reqs together. If PostgreSQL refuses them (a stale or
// ahead version, a duplicate ID), nothing was stored, and it recovers: see
// recoverRound.
func (s *Store) commitRound(ctx context.Context, reqs []*groupcommit.Request) {
	if len(reqs) == 1 {
		s.commitAlone(ctx, reqs[0])
		return
	}
	if err := s.commitTogether(ctx, reqs); err != nil {
		s.logger.DebugContext(ctx, "group commit refused", "requests", len(reqs), "cause", err)
		s.recoverRound(ctx, reqs)
	}
}

// commitTogether commits reqs in one transaction and answers them. If
// PostgreSQL refused the insert, it returns why and answers none; other
// errors fail them all.
func (s *Store) commitTogether(ctx context.Context, reqs []*groupcommit.Request) (refusal error) {
	first, at, err := s.insert(ctx, reqs)
	switch {
	case refused(err):
		return err
	case err != nil:
		err = fmt.Errorf("commit appends: %w", err)
		for _, r := range reqs {
			r.Fail(err)
		}
		return nil
	}
	for _, r := range reqs {
		s.succeed(r, first, at)
		first += uint64(len(r.Events))
	}
	return nil
}

// succeed answers r with its events stored from index first on at time at,
// and remembers the version its stream reached.
func (s *Store) succeed(r *groupcommit.Request, first uint64, at time.Time) {
	r.Succeed(r.Stored(first, at))
	s.known.saw(r.Stream, r.Expected+uint64(len(r.Events)))
}

// commitAlone commits r in a transaction of its own and answers it.
func (s *Store) commitAlone(ctx context.Context, r *groupcommit.Request) {
	first, at, err := s.insert(ctx, []*groupcommit.Request{r})
	switch {
	case errors.Is(err, errGap):
		r.Fail(domain.Conflictf("stream %s has no version %d yet", r.Stream, r.Expected))
	case err != nil:
		r.Fail(translate(err, r))
	default:
		s.succeed(r, first, at)
	}
}

// refused reports whether err says that PostgreSQL refused an insert, which
// then stored nothing: rather than a lost connection, whose outcome is
// unknown, an error the server reported or an insert that stored no row.
func refused(err error) bool {
	var pgErr *pgconn.PgError
	return errors.Is(err, errGap) || errors.As(err, &pgErr)
}
