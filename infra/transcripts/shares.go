package transcripts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/commands"
)

// Share is a link that shows a participant's transcript to whoever holds it,
// until it expires or is revoked. Token and URL are known only when the share
// is created: the ledger keeps the token's hash.
type Share struct {
	ID        string     `json:"id"`
	Token     string     `json:"token,omitempty"`
	URL       string     `json:"url,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// The bounds of a share's lifetime.
const (
	DefaultShareTTL = 7 * 24 * time.Hour
	MaxShareTTL     = 90 * 24 * time.Hour
)

// CreateShare creates a share of participant id's transcript that lasts ttl.
func (s *Service) CreateShare(ctx context.Context, id string, ttl time.Duration) (Share, error) {
	if ttl <= 0 || ttl > MaxShareTTL {
		return Share{}, domain.Invalidf("a share lasts from 1 second to %d days", int(MaxShareTTL.Hours()/24))
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return Share{}, err
	}
	now := s.commands.Now().UTC().Truncate(time.Microsecond)
	sh := Share{ID: commands.NewID("shr"), Token: base64.RawURLEncoding.EncodeToString(secret), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	sh.URL = s.publicURL + "/v1/shares/" + sh.Token
	_, err := s.db.ExecContext(ctx, `INSERT INTO transcript_shares (id, token_sha256, participant_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, sh.ID, tokenHash(sh.Token), id, now.UnixMicro(), sh.ExpiresAt.UnixMicro())
	if err != nil {
		return Share{}, fmt.Errorf("create share: %w", err)
	}
	return sh, nil
}

// tokenHash is the stored form of a share token.
func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Shares lists participant id's shares, newest first.
func (s *Service) Shares(ctx context.Context, id string) ([]Share, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, created_at, expires_at, revoked_at FROM transcript_shares
		WHERE participant_id = $1 ORDER BY created_at DESC, id`, id)
	if err != nil {
		return nil, fmt.Errorf("list shares: %w", err)
	}
	defer rows.Close()
	out := []Share{}
	for rows.Next() {
		var sh Share
		var created, expires, revoked int64
		if err := rows.Scan(&sh.ID, &created, &expires, &revoked); err != nil {
			return nil, err
		}
		sh.CreatedAt, sh.ExpiresAt = time.UnixMicro(created).UTC(), time.UnixMicro(expires).UTC()
		if revoked != 0 {
			r := time.UnixMicro(revoked).UTC()
			sh.RevokedAt = &r
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// RevokeShare revokes participant id's share shareID; revoking it again
// changes nothing.
func (s *Service) RevokeShare(ctx context.Context, id, shareID string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE transcript_shares SET revoked_at = $3
		WHERE id = $1 AND participant_id = $2 AND revoked_at = 0`, shareID, id, s.commands.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("revoke share: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var exists bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM transcript_shares WHERE id = $1 AND participant_id = $2)`,
		shareID, id).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return domain.NotFoundf("you have no share %s", shareID)
	}
	return nil
}

// Resolve returns the participant whose transcript token shows. An unknown,
// expired or revoked token is NotFound, alike, so a token cannot be probed.
func (s *Service) Resolve(ctx context.Context, token string) (string, error) {
	var id string
	var expires, revoked int64
	err := s.db.QueryRowContext(ctx, `SELECT participant_id, expires_at, revoked_at FROM transcript_shares WHERE token_sha256 = $1`,
		tokenHash(token)).Scan(&id, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (revoked != 0 || s.commands.Now().UnixMicro() >= expires)) {
		return "", domain.NotFoundf("this share link is unknown, expired or revoked")
	}
	if err != nil {
		return "", fmt.Errorf("resolve share: %w", err)
	}
	return id, nil
}
