-- idempotency remembers the first answer to each (principal, Idempotency-Key)
-- so that a retry gets it again. status 0 marks a request still in progress.
-- created_at is Unix microseconds. personal names the participant whose personal
-- data the kept answer holds, so that erasing them deletes it.
CREATE TABLE idempotency (
    principal    TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    body         BYTEA,
    personal     TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_personal ON idempotency (personal) WHERE personal <> '';
