-- The event log: one append-only table for every stream. idx is the gapless
-- log index in commit order, version the position in the stream. data holds
-- the payload bytes exactly as appended (bytea, not jsonb, which would
-- normalise them), meta the JSON of store.Metadata.
CREATE TABLE events (
    idx            bigint      PRIMARY KEY CHECK (idx >= 0),
    id             text        NOT NULL,
    stream         text        NOT NULL,
    version        bigint      NOT NULL CHECK (version >= 1),
    type           text        NOT NULL,
    schema_version integer     NOT NULL,
    data           bytea       NOT NULL,
    meta           text        NOT NULL,
    recorded_at    timestamptz NOT NULL,
    CONSTRAINT events_id_key UNIQUE (id),
    CONSTRAINT events_stream_version_key UNIQUE (stream, version)
);

-- The log is append-only: a correction is a new event, never an edit. The
-- triggers fire per statement, so even a statement that would touch no row is
-- refused.
CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events is append-only: % is refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();
