-- The event log: one append-only table for every stream. idx is the gapless
-- log index in commit order, version the position in the stream, recorded_at
-- Unix microseconds. data holds the payload bytes exactly as appended.
-- prev_version refers to the event before in the same stream, so SQLite
-- itself refuses an event that would leave a gap in its stream's versions
-- (the connections turn foreign keys on).
CREATE TABLE events (
    idx            INTEGER PRIMARY KEY CHECK (idx >= 0),
    id             TEXT    NOT NULL,
    stream         TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    data           BLOB    NOT NULL,
    meta           TEXT    NOT NULL,
    recorded_at    INTEGER NOT NULL,
    prev_version   INTEGER GENERATED ALWAYS AS (nullif(version - 1, 0)) VIRTUAL,
    CONSTRAINT events_id_key UNIQUE (id),
    CONSTRAINT events_stream_version_key UNIQUE (stream, version),
    CONSTRAINT events_no_gap FOREIGN KEY (stream, prev_version) REFERENCES events (stream, version)
) STRICT;

-- The log is append-only: a correction is a new event, never an edit.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events is append-only: UPDATE is refused');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events is append-only: DELETE is refused');
END;
