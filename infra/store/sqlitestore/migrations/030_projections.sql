-- projection_state names each read model's live generation, the copy that
-- serves reads; a rebuild fills another generation and then flips this row.
-- lease_owner and lease_until (Unix microseconds) mark the one rebuild that
-- may be running.
CREATE TABLE projection_state (
    projection      TEXT    PRIMARY KEY,
    live_generation INTEGER NOT NULL,
    lease_owner     TEXT    NOT NULL DEFAULT '',
    lease_until     INTEGER NOT NULL DEFAULT 0
) STRICT;

-- projection_positions holds, per generation of a read model, the number of
-- log events folded into it: the index of the next event to apply. It is
-- written in the same transaction as the documents.
CREATE TABLE projection_positions (
    projection TEXT    NOT NULL,
    generation INTEGER NOT NULL,
    position   INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (projection, generation)
) STRICT;

-- read_models holds every read model's documents as JSON, one row per key.
CREATE TABLE read_models (
    projection TEXT    NOT NULL,
    generation INTEGER NOT NULL,
    key        TEXT    NOT NULL,
    doc        BLOB    NOT NULL,
    PRIMARY KEY (projection, generation, key)
) STRICT, WITHOUT ROWID;
