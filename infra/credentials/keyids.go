package credentials

import (
	"context"
	"fmt"
)

// IDs returns the IDs of the signing keys stored for organisation oid, or for
// every organisation if oid is "", in key ID order. The log says which of them
// were registered: a key is stored before its registration is recorded, and a
// crash in between leaves a key that was never registered.
func (s *KeyStore) IDs(ctx context.Context, oid string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key_id FROM credential_signing_keys
		WHERE $1 = '' OR oid = $1 ORDER BY key_id`, oid)
	if err != nil {
		return nil, fmt.Errorf("list signing keys: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list signing keys: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list signing keys: %w", err)
	}
	return ids, nil
}
