-- participant_keys holds each participant's data key, wrapped with the master
-- key. It lives outside the log: deleting a row is how personal data is erased.
CREATE TABLE participant_keys (
    participant_id TEXT PRIMARY KEY,
    wrapped        BYTEA NOT NULL
);
