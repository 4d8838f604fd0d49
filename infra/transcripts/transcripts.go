// Package transcripts answers for staff transcripts: the live read model with
// the holder's name opened from their stream, "as recorded at T" by folding
// the participant's streams in memory, and the share links that show a
// transcript without a token.
package transcripts

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/participant"
	"github.com/erasmus-ledger/ledger/infra/commands"
	"github.com/erasmus-ledger/ledger/infra/projector"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// Service answers for transcripts.
type Service struct {
	commands  *commands.Service
	runner    *projector.Runner
	db        *sql.DB
	publicURL string
	logger    *slog.Logger
}

// New returns the service. The runner must run the transcript read model; db
// holds transcript_shares.
func New(cmds *commands.Service, runner *projector.Runner, db *sql.DB, publicURL string, logger *slog.Logger) *Service {
	return &Service{commands: cmds, runner: runner, db: db, publicURL: publicURL, logger: logger}
}

// Transcript returns participant id's transcript as it is now or, when asOf
// is not nil, as the ledger recorded it at *asOf. The holder's name is read
// from their stream; a participant erased by now has a transcript that shows
// the erasure and nothing else, whatever asOf says.
func (s *Service) Transcript(ctx context.Context, id string, asOf *time.Time) (transcript.Transcript, error) {
	if err := s.runner.Sync(ctx, transcript.Name); err != nil {
		s.logger.WarnContext(ctx, "transcript read model could not catch up; answering from where it stands", "err", err)
	}
	live, err := s.runner.Docs(ctx, transcript.Name)
	if err != nil {
		return transcript.Transcript{}, err
	}
	docs, at := live, s.commands.Now()
	if asOf != nil {
		if docs, err = s.asOf(ctx, live, id, *asOf); err != nil {
			return transcript.Transcript{}, err
		}
		at = *asOf
	}
	t, err := transcript.Build(ctx, docs, id, transcript.Options{At: at, PublicURL: s.publicURL})
	if err != nil {
		return t, err
	}
	t.AsOf = asOf
	return s.withHolder(ctx, t)
}

// asOf folds, in memory, the streams of participant id's transcript up to at.
func (s *Service) asOf(ctx context.Context, live projections.Docs, id string, at time.Time) (projections.Docs, error) {
	streams, err := transcript.Streams(ctx, live, id)
	if err != nil {
		return nil, err
	}
	if len(streams) == 0 {
		return nil, domain.NotFoundf("participant %s has no transcript", id)
	}
	return projector.FoldStreams(ctx, s.commands.Log(), s.commands.Codec(), transcript.Projection{}, streams, at)
}

// withHolder fills in the holder's personal data from their stream, or
// empties the transcript of a participant who has been erased.
func (s *Service) withHolder(ctx context.Context, t transcript.Transcript) (transcript.Transcript, error) {
	events, _, err := s.commands.Load(ctx, domain.ParticipantStream(t.Holder.ID))
	if err != nil {
		return t, err
	}
	p := participant.Fold(events...)
	if p.Erased || p.Personal.Erased {
		t.Erased, t.Mobilities = true, []transcript.MobilityView{}
	}
	t.Holder.Name = p.Personal.FullName()
	if !t.Erased {
		t.Holder.BirthDate = p.Personal.BirthDate
	}
	return t, nil
}

// Participant returns participant id as folded from their stream, for access
// checks; it fails NotFound if they were never enrolled.
func (s *Service) Participant(ctx context.Context, id string) (participant.Participant, error) {
	events, _, err := s.commands.Load(ctx, domain.ParticipantStream(id))
	if err != nil {
		return participant.Participant{}, err
	}
	p := participant.Fold(events...)
	if !p.Exists() {
		return p, domain.NotFoundf("participant %s is not enrolled", id)
	}
	return p, nil
}
