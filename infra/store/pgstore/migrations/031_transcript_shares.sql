-- transcript_shares are the links a participant hands out to show their
-- transcript without a token. Only the SHA-256 of the secret token is kept.
-- Times are Unix microseconds; revoked_at is 0 until the link is revoked.
CREATE TABLE transcript_shares (
    id             TEXT   PRIMARY KEY,
    token_sha256   TEXT   NOT NULL UNIQUE,
    participant_id TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    revoked_at     BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX transcript_shares_participant ON transcript_shares (participant_id);
