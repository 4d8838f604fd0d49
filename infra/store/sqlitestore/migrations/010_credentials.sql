-- credential_signing_keys holds each issuer signing key's private half, sealed
-- with the master key (AES-GCM, bound to key_id and oid). The public half and
-- the key's registration are events in the log.
CREATE TABLE credential_signing_keys (
    key_id TEXT PRIMARY KEY,
    oid    TEXT NOT NULL,
    sealed BLOB NOT NULL
);

-- credential_status_lists holds every Bitstring Status List: per issuer and
-- purpose (revocation, suspension) a sequence of lists numbered from 1, the
-- newest of which receives new entries. size is in bits.
CREATE TABLE credential_status_lists (
    id         TEXT PRIMARY KEY,
    issuer_oid TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    size       INTEGER NOT NULL,
    UNIQUE (issuer_oid, purpose, seq)
);

-- credential_status_entries allocates the bits: the primary key keeps two
-- credentials from sharing one, and a credential has one bit per purpose.
-- Whether a bit is set is derived from the log, not kept here.
CREATE TABLE credential_status_entries (
    list_id       TEXT NOT NULL REFERENCES credential_status_lists (id),
    idx           INTEGER NOT NULL,
    credential_id TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    PRIMARY KEY (list_id, idx),
    UNIQUE (credential_id, purpose)
);
