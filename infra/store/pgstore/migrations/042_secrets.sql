-- secrets holds the ledger's own keys (such as the API token signing key),
-- each wrapped with the master key.
CREATE TABLE secrets (
    name    TEXT PRIMARY KEY,
    wrapped BYTEA NOT NULL
);
