package statuslist

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/erasmus-ledger/ledger/domain"
)

// List is one status list: whose it is, what it is for and how many bits it
// has. Seq numbers an issuer's lists of one purpose from 1; the newest list
// receives new entries.
type List struct {
	ID        string
	IssuerOID string
	Purpose   Purpose
	Seq       int
	Size      int
}

// Entry is a credential's bit: a list and an index in it.
type Entry struct {
	List  string
	Index int
}

// Allocator hands out credentials' bits in their issuer's status lists, at
// random so that a bit's position says nothing about when its credential was
// issued, and without collision: the (list, index) primary key of
// credential_status_entries decides, so concurrent allocators in any number of
// processes never share a bit. Lists and entries live in the tables of the
// credentials migrations.
type Allocator struct {
	db   *sql.DB
	size int // of new lists, in bits
}

// NewAllocator returns an allocator over db, opening lists of MinSize bits.
func NewAllocator(db *sql.DB) *Allocator { return &Allocator{db: db, size: MinSize} }

// picksPerList is how many random picks in a row may collide before a list
// counts as full and the next one is opened. A list fills to about 80% before
// 16 picks in a row collide with a few percent probability, so lists stay
// well populated (the herd that hides each bit) and a pick is cheap.
const picksPerList = 16

// maxOpenings bounds how many new lists one allocation may open, a guard
// against a table that refuses every insert.
const maxOpenings = 3

// Allocate returns credential credentialID's bit for purpose in issuerOID's
// newest list, allocating it on the first call; later calls return the same
// entry, so a retried issuance does not use up bits.
func (a *Allocator) Allocate(ctx context.Context, issuerOID string, purpose Purpose, credentialID string) (Entry, error) {
	if e, ok, err := a.existing(ctx, credentialID, purpose); err != nil || ok {
		return e, err
	}
	for range maxOpenings + 1 {
		l, err := a.newest(ctx, issuerOID, purpose)
		if err != nil {
			return Entry{}, err
		}
		if e, ok, err := a.pick(ctx, l, credentialID); err != nil || ok {
			return e, err
		}
		if err := a.open(ctx, issuerOID, purpose, l.Seq+1); err != nil {
			return Entry{}, err
		}
	}
	return Entry{}, fmt.Errorf("allocate %s bit for %s: no list accepted it", purpose, credentialID)
}

// pick tries random indexes of l until one is free, picksPerList times.
func (a *Allocator) pick(ctx context.Context, l List, credentialID string) (Entry, bool, error) {
	for range picksPerList {
		i, err := rand.Int(rand.Reader, big.NewInt(int64(l.Size)))
		if err != nil {
			return Entry{}, false, err
		}
		e := Entry{List: l.ID, Index: int(i.Int64())}
		res, err := a.db.ExecContext(ctx, `INSERT INTO credential_status_entries (list_id, idx, credential_id, purpose)
			VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, e.List, e.Index, credentialID, string(l.Purpose))
		if err != nil {
			return Entry{}, false, fmt.Errorf("allocate %s bit in list %s: %w", l.Purpose, l.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return e, err == nil, err
		}
		// The index was taken, or a concurrent call allocated this credential's bit.
		if e, ok, err := a.existing(ctx, credentialID, l.Purpose); err != nil || ok {
			return e, ok, err
		}
	}
	return Entry{}, false, nil
}

func (a *Allocator) existing(ctx context.Context, credentialID string, purpose Purpose) (Entry, bool, error) {
	var e Entry
	err := a.db.QueryRowContext(ctx, `SELECT list_id, idx FROM credential_status_entries
		WHERE credential_id = $1 AND purpose = $2`, credentialID, string(purpose)).Scan(&e.List, &e.Index)
	if errors.Is(err, sql.ErrNoRows) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, fmt.Errorf("read %s bit of %s: %w", purpose, credentialID, err)
	}
	return e, true, nil
}

// newest returns the issuer's newest list for purpose, opening the first one
// if there is none.
func (a *Allocator) newest(ctx context.Context, issuerOID string, purpose Purpose) (List, error) {
	for range 2 {
		l, err := a.scanList(a.db.QueryRowContext(ctx, `SELECT `+listColumns+` FROM credential_status_lists
			WHERE issuer_oid = $1 AND purpose = $2 ORDER BY seq DESC LIMIT 1`, issuerOID, string(purpose)))
		if !errors.Is(err, domain.ErrNotFound) {
			return l, err
		}
		if err := a.open(ctx, issuerOID, purpose, 1); err != nil {
			return List{}, err
		}
	}
	return List{}, fmt.Errorf("open the first %s list of %s: not found after creation", purpose, issuerOID)
}

// open creates the issuer's list number seq for purpose, unless a concurrent
// call did first: the (issuer_oid, purpose, seq) key lets one of them win.
func (a *Allocator) open(ctx context.Context, issuerOID string, purpose Purpose, seq int) error {
	id := strings.ToLower(rand.Text())
	_, err := a.db.ExecContext(ctx, `INSERT INTO credential_status_lists (id, issuer_oid, purpose, seq, size)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, id, issuerOID, string(purpose), seq, a.size)
	if err != nil {
		return fmt.Errorf("open %s list %d of %s: %w", purpose, seq, issuerOID, err)
	}
	return nil
}

// List returns the list with ID id, or an error wrapping domain.ErrNotFound.
func (a *Allocator) List(ctx context.Context, id string) (List, error) {
	return a.scanList(a.db.QueryRowContext(ctx, `SELECT `+listColumns+` FROM credential_status_lists WHERE id = $1`, id))
}

const listColumns = `id, issuer_oid, purpose, seq, size`

func (a *Allocator) scanList(row *sql.Row) (List, error) {
	var l List
	var purpose string
	err := row.Scan(&l.ID, &l.IssuerOID, &purpose, &l.Seq, &l.Size)
	if errors.Is(err, sql.ErrNoRows) {
		return List{}, domain.NotFoundf("status list not found")
	}
	if err != nil {
		return List{}, fmt.Errorf("read status list: %w", err)
	}
	l.Purpose = Purpose(purpose)
	return l, nil
}
