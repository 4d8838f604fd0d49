-- The transparency log over events (package infra/tlog).
--
-- tlog_hashes holds the RFC 6962 tree's stored hashes in the order of
-- golang.org/x/mod/sumdb/tlog (StoredHashIndex); tlog_tree the number of log
-- entries they cover, advanced in the same transaction as the hashes are
-- written. tlog_checkpoints keeps every checkpoint ever signed (note is the
-- signed C2SP checkpoint as served), tlog_keys the checkpoint signing key per
-- origin, its private half sealed by the caller's AEAD. Times are Unix
-- microseconds. Nothing here is ever updated or deleted, except tlog_tree's
-- size, which only grows.
CREATE TABLE tlog_hashes (
    idx  BIGINT PRIMARY KEY CHECK (idx >= 0),
    hash BYTEA NOT NULL CHECK (length(hash) = 32)
);

CREATE TABLE tlog_tree (
    id   SMALLINT PRIMARY KEY CHECK (id = 1),
    size BIGINT NOT NULL CHECK (size >= 0)
);
INSERT INTO tlog_tree (id, size) VALUES (1, 0);

CREATE TABLE tlog_checkpoints (
    size         BIGINT PRIMARY KEY CHECK (size >= 0),
    root         BYTEA NOT NULL CHECK (length(root) = 32),
    note         TEXT NOT NULL,
    signed_at_us BIGINT NOT NULL
);

CREATE TABLE tlog_keys (
    name          TEXT PRIMARY KEY,
    vkey          TEXT NOT NULL,
    sealed_skey   BYTEA NOT NULL,
    created_at_us BIGINT NOT NULL
);

CREATE FUNCTION tlog_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE FUNCTION tlog_refuse_shrink() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.size < OLD.size THEN
        RAISE EXCEPTION 'tlog_tree only grows: % to % refused', OLD.size, NEW.size
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER tlog_hashes_append_only BEFORE UPDATE OR DELETE ON tlog_hashes
    FOR EACH ROW EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_hashes_no_truncate BEFORE TRUNCATE ON tlog_hashes
    FOR EACH STATEMENT EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_checkpoints_append_only BEFORE UPDATE OR DELETE ON tlog_checkpoints
    FOR EACH ROW EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_checkpoints_no_truncate BEFORE TRUNCATE ON tlog_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_keys_append_only BEFORE UPDATE OR DELETE ON tlog_keys
    FOR EACH ROW EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_keys_no_truncate BEFORE TRUNCATE ON tlog_keys
    FOR EACH STATEMENT EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_tree_grows BEFORE UPDATE ON tlog_tree
    FOR EACH ROW EXECUTE FUNCTION tlog_refuse_shrink();
CREATE TRIGGER tlog_tree_no_delete BEFORE DELETE ON tlog_tree
    FOR EACH ROW EXECUTE FUNCTION tlog_refuse_change();
CREATE TRIGGER tlog_tree_no_truncate BEFORE TRUNCATE ON tlog_tree
    FOR EACH STATEMENT EXECUTE FUNCTION tlog_refuse_change();
