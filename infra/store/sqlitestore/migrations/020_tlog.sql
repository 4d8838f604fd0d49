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
    idx  INTEGER PRIMARY KEY CHECK (idx >= 0),
    hash BLOB NOT NULL CHECK (length(hash) = 32)
);

CREATE TABLE tlog_tree (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    size INTEGER NOT NULL CHECK (size >= 0)
);
INSERT INTO tlog_tree (id, size) VALUES (1, 0);

CREATE TABLE tlog_checkpoints (
    size         INTEGER PRIMARY KEY CHECK (size >= 0),
    root         BLOB NOT NULL CHECK (length(root) = 32),
    note         TEXT NOT NULL,
    signed_at_us INTEGER NOT NULL
);

CREATE TABLE tlog_keys (
    name          TEXT PRIMARY KEY,
    vkey          TEXT NOT NULL,
    sealed_skey   BLOB NOT NULL,
    created_at_us INTEGER NOT NULL
);

CREATE TRIGGER tlog_hashes_no_update BEFORE UPDATE ON tlog_hashes
BEGIN SELECT RAISE(ABORT, 'tlog_hashes is append-only: UPDATE refused'); END;
CREATE TRIGGER tlog_hashes_no_delete BEFORE DELETE ON tlog_hashes
BEGIN SELECT RAISE(ABORT, 'tlog_hashes is append-only: DELETE refused'); END;
CREATE TRIGGER tlog_checkpoints_no_update BEFORE UPDATE ON tlog_checkpoints
BEGIN SELECT RAISE(ABORT, 'tlog_checkpoints is append-only: UPDATE refused'); END;
CREATE TRIGGER tlog_checkpoints_no_delete BEFORE DELETE ON tlog_checkpoints
BEGIN SELECT RAISE(ABORT, 'tlog_checkpoints is append-only: DELETE refused'); END;
CREATE TRIGGER tlog_keys_no_update BEFORE UPDATE ON tlog_keys
BEGIN SELECT RAISE(ABORT, 'tlog_keys is append-only: UPDATE refused'); END;
CREATE TRIGGER tlog_keys_no_delete BEFORE DELETE ON tlog_keys
BEGIN SELECT RAISE(ABORT, 'tlog_keys is append-only: DELETE refused'); END;
CREATE TRIGGER tlog_tree_grows BEFORE UPDATE ON tlog_tree WHEN NEW.size < OLD.size
BEGIN SELECT RAISE(ABORT, 'tlog_tree only grows: UPDATE refused'); END;
CREATE TRIGGER tlog_tree_no_delete BEFORE DELETE ON tlog_tree
BEGIN SELECT RAISE(ABORT, 'tlog_tree only grows: DELETE refused'); END;
