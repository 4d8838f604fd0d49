package pgstore

import (
	"context"

	"github.com/erasmus-ledger/ledger/infra/store/internal/groupcommit"
)

// versionsSQL reads the current version of each stream named, 0 for none.
const versionsSQL = `
SELECT s, coalesce((SELECT max(version) FROM events WHERE stream = s), 0)
FROM unnest($1::text[]) AS s`

// recoverRound commits a refused round so that only its faulty requests
// fail. It reads the versions the round's streams are at: a request that
// expects an older version fails at once, as the unique constraint refused
// it (versions only grow); the requests that still follow their stream's
// version are committed together again; what remains, or all of them if
// that fails too, is committed one by one.
func (s *Store) recoverRound(ctx context.Context, reqs []*groupcommit.Request) {
	versions, err := s.streamVersions(ctx, reqs)
	if err != nil {
		s.commitEach(ctx, reqs)
		return
	}
	following, others := triage(reqs, versions)
	if len(following) > 1 && s.commitTogether(ctx, following) != nil {
		others = append(following, others...)
	} else if len(following) == 1 {
		others = append(following, others...)
	}
	s.commitEach(ctx, others)
}

// triage fails the requests of a round that expect a version older than
// their stream's, and splits the others into those that follow it and the
// rest (which expect a version their stream has not reached).
func triage(reqs []*groupcommit.Request, versions map[string]uint64) (following, others []*groupcommit.Request) {
	next := map[string]uint64{}
	for _, r := range reqs {
		v, ok := next[r.Stream]
		if !ok {
			v = versions[r.Stream]
		}
		switch {
		case r.Expected < versions[r.Stream]:
			r.Fail(staleConflict(r))
		case r.Expected == v:
			next[r.Stream] = v + uint64(len(r.Events))
			following = append(following, r)
		default:
			others = append(others, r)
		}
	}
	return following, others
}

// commitEach commits every request in a transaction of its own.
func (s *Store) commitEach(ctx context.Context, reqs []*groupcommit.Request) {
	for _, r := range reqs {
		s.commitAlone(ctx, r)
	}
}

// streamVersions reads the current versions of reqs' streams.
func (s *Store) streamVersions(ctx context.Context, reqs []*groupcommit.Request) (map[string]uint64, error) {
	streams := make([]string, 0, len(reqs))
	for _, r := range reqs {
		streams = append(streams, r.Stream)
	}
	rows, err := s.writer.Query(ctx, versionsSQL, streams)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	versions := make(map[string]uint64, len(streams))
	for rows.Next() {
		var (
			stream  string
			version int64
		)
		if err := rows.Scan(&stream, &version); err != nil {
			return nil, err
		}
		versions[stream] = uint64(version)
		s.known.saw(stream, uint64(version))
	}
	return versions, rows.Err()
}
