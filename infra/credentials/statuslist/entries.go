package statuslist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Assigned is an allocated bit and the credential it was allocated to.
type Assigned struct {
	Index        int
	CredentialID string
}

// Entries returns every bit allocated in list id, by index. An allocated bit
// is not necessarily in use: its credential's issuance may have failed after
// the allocation, and only the log says whether it was issued.
func (a *Allocator) Entries(ctx context.Context, id string) ([]Assigned, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT idx, credential_id FROM credential_status_entries
		WHERE list_id = $1 ORDER BY idx`, id)
	if err != nil {
		return nil, fmt.Errorf("read entries of status list %s: %w", id, err)
	}
	defer rows.Close()
	var out []Assigned
	for rows.Next() {
		var e Assigned
		if err := rows.Scan(&e.Index, &e.CredentialID); err != nil {
			return nil, fmt.Errorf("read entries of status list %s: %w", id, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read entries of status list %s: %w", id, err)
	}
	return out, nil
}

// Holder returns the credential that bit index of list id was allocated to,
// and false if the bit was never allocated.
func (a *Allocator) Holder(ctx context.Context, id string, index int) (string, bool, error) {
	var credentialID string
	err := a.db.QueryRowContext(ctx, `SELECT credential_id FROM credential_status_entries
		WHERE list_id = $1 AND idx = $2`, id, index).Scan(&credentialID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read bit %d of status list %s: %w", index, id, err)
	}
	return credentialID, true, nil
}
