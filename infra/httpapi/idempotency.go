package httpapi

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// idempotency keeps the first answer to each Idempotency-Key of a principal in
// the idempotency table. A key is reserved by inserting its row (the primary key
// decides between concurrent requests); the answer is stored when known.
type idempotency struct {
	db  *sql.DB
	now func() time.Time
}

// abandonAfter is how long a reservation may stay without an answer before a
// retry may take it over (its first request is then presumed lost in a crash).
const abandonAfter = time.Minute

// retention is how long answers are kept for retries.
const retention = 24 * time.Hour

// serve answers r from a stored answer for key, or runs it and stores the answer.
func (i *idempotency) serve(w http.ResponseWriter, r *http.Request, principal, key string, body []byte, run func() answer) {
	fail := func(err error) {
		ans := problemAnswer(err)
		writeRaw(w, ans.status, ans.contentType, ans.body)
	}
	if len(key) > 200 {
		fail(domain.Invalidf("Idempotency-Key is longer than 200 characters"))
		return
	}
	sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
	hash := hex.EncodeToString(sum[:])
	ctx := r.Context()
	now := i.now()
	res, err := i.db.ExecContext(ctx, `INSERT INTO idempotency (principal, key, request_hash, status, created_at)
		VALUES ($1, $2, $3, 0, $4) ON CONFLICT (principal, key) DO NOTHING`, principal, key, hash, now.UnixMicro())
	if err != nil {
		fail(err)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if !i.takeOver(w, r, principal, key, hash, now, fail) {
			return
		}
	}
	ans := run()
	if ans.status >= 500 {
		_, _ = i.db.ExecContext(ctx, `DELETE FROM idempotency WHERE principal = $1 AND key = $2`, principal, key)
	} else if _, err := i.db.ExecContext(ctx, `UPDATE idempotency SET status = $3, content_type = $4, body = $5, personal = $6
		WHERE principal = $1 AND key = $2`, principal, key, ans.status, ans.contentType, ans.body, ans.personal); err != nil {
		fail(err)
		return
	}
	writeRaw(w, ans.status, ans.contentType, ans.body)
}

// takeOver handles a key seen before: it replays the stored answer, refuses a
// different request or one still running, or takes over an abandoned
// reservation. It reports whether the request should run now.
func (i *idempotency) takeOver(w http.ResponseWriter, r *http.Request, principal, key, hash string, now time.Time, fail func(error)) bool {
	ctx := r.Context()
	var (
		storedHash, ctype string
		status            int
		out               []byte
		created           int64
	)
	err := i.db.QueryRowContext(ctx, `SELECT request_hash, status, content_type, body, created_at FROM idempotency
		WHERE principal = $1 AND key = $2`, principal, key).Scan(&storedHash, &status, &ctype, &out, &created)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		fail(domain.Conflictf("a request with this Idempotency-Key has just failed; retry"))
		return false
	case err != nil:
		fail(err)
		return false
	case storedHash != hash:
		fail(domain.Conflictf("Idempotency-Key %q was already used for a different request", key))
		return false
	case status != 0:
		w.Header().Set("Idempotent-Replayed", "true")
		writeRaw(w, status, ctype, out)
		return false
	case now.Sub(time.UnixMicro(created)) < abandonAfter:
		fail(domain.Conflictf("a request with this Idempotency-Key is still in progress"))
		return false
	}
	res, err := i.db.ExecContext(ctx, `UPDATE idempotency SET created_at = $3 WHERE principal = $1 AND key = $2
		AND status = 0 AND created_at = $4`, principal, key, now.UnixMicro(), created)
	if err != nil {
		fail(err)
		return false
	}
	if n, _ := res.RowsAffected(); n == 0 {
		fail(domain.Conflictf("a request with this Idempotency-Key is still in progress"))
		return false
	}
	return true
}

// forget deletes the kept answers that hold participant's personal data.
func (i *idempotency) forget(ctx context.Context, participant string) error {
	_, err := i.db.ExecContext(ctx, `DELETE FROM idempotency WHERE personal = $1`, participant)
	return err
}

// purge forgets answers older than the retention period.
func (i *idempotency) purge(ctx context.Context) error {
	cutoff := i.now().Add(-retention).UnixMicro()
	_, err := i.db.ExecContext(ctx, `DELETE FROM idempotency WHERE created_at < $1`, cutoff)
	return err
}
