package credentials

import (
	"context"
	"sync"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
)

// Record is what the ledger holds of an issued credential, as anyone may read
// it by the credential's ID. It has no token (the log keeps only its hash), so
// no signature to check; its checks are those the log answers: the issuer and
// its key, the status, the validity period and the issuance's place in the
// log. Valid is true only if they all pass. Status is as of At.
type Record struct {
	ID          string             `json:"id"`
	URL         string             `json:"url"`
	Valid       bool               `json:"valid"`
	Status      credential.Status  `json:"status"`
	At          time.Time          `json:"at"`
	Issuer      Issuer             `json:"issuer"`
	Holder      HolderName         `json:"holder"`
	Achievement AchievementSummary `json:"achievement"`
	IssuedAt    time.Time          `json:"issued_at"`
	ValidFrom   time.Time          `json:"valid_from"`
	ValidUntil  *time.Time         `json:"valid_until,omitempty"`
	RevokedAt   *time.Time         `json:"revoked_at,omitempty"`
	SuspendedAt *time.Time         `json:"suspended_at,omitempty"`
	Kid         string             `json:"kid"`
	VerifyURL   string             `json:"verify_url"`
	Log         LogPosition        `json:"log"`
	Checks      []Check            `json:"checks"`
}

// LogPosition is where the log recorded a credential's issuance.
type LogPosition struct {
	Index uint64 `json:"index"`
}

// Lookup returns the record of credential id as of now, or fails NotFound if
// it was never issued. The holder's name is read from their enrolment, and
// reads as erased once they are. The credential's status comes from the
// credentialstatus read model; what the record says is cached until one of
// the streams it was read from changes, so only its checks, which depend on
// the time, are made afresh.
func (s *Service) Lookup(ctx context.Context, id string) (Record, error) {
	return s.LookupIssued(ctx, id, nil)
}

// LookupIssued is Lookup that, when the record is not cached, calls issued
// (unless it is nil) with the log index of the credential's issuance as soon
// as its status is read, before the rest of the record: the caller can start
// work on the issuance (such as its proof) while the holder, issuer and
// mobility are read. issued is called at most once, on the calling goroutine,
// and only for a credential that was issued; the record Lookup then returns
// has that index.
func (s *Service) LookupIssued(ctx context.Context, id string, issued func(index uint64)) (Record, error) {
	if domain.ValidID("id", id) != nil {
		return Record{}, domain.NotFoundf("credential not found")
	}
	d, err := cached(ctx, s.derived, recordKey(id), func(ctx context.Context, size uint64) (described, []string, error) {
		return s.describeCredential(ctx, id, size, issued)
	})
	if err != nil {
		return Record{}, err
	}
	if d.status == nil {
		return Record{}, domain.NotFoundf("credential %s was never issued", id)
	}
	r := d.record
	r.At = s.cmds.Now().UTC()
	r.Status = d.status.At(r.At)
	r.Checks = recordChecks(r, d.key)
	r.Valid = allOK(r.Checks) && r.Status == credential.StatusActive
	return r, nil
}

// IssuedIndex returns the log index of credential id's issuance if its record
// is cached, without reading anything. An issuance's index never changes, so
// a caller may start work on it before Lookup answers, as long as it checks
// the index against the record's.
func (s *Service) IssuedIndex(id string) (uint64, bool) {
	v, ok := s.derived.get(recordKey(id))
	if !ok || v.(described).status == nil {
		return 0, false
	}
	return v.(described).record.Log.Index, true
}

// recordKey is the key of credential id's record in the derived cache.
func recordKey(id string) string { return "record/" + id }

// described is what the ledger holds of a credential, apart from what
// depends on the time a record is read at: its status document (nil if it
// was never issued), its record and its signing key.
type described struct {
	status *credentialstatus.Credential
	record Record
	key    credential.Key
}

// describeCredential reads what the ledger holds of credential id, with its
// status as of the first size events of the log at least, and the streams it
// read it from. It calls issued, if not nil, with the index of the issuance
// once it has read the status.
func (s *Service) describeCredential(ctx context.Context, id string, size uint64, issued func(uint64)) (described, []string, error) {
	c, err := s.readStatus(ctx, id, size)
	streams := []string{credential.Stream(id)}
	if err != nil || c == nil {
		return described{}, streams, err
	}
	if issued != nil {
		issued(c.IssuedIndex)
	}
	r := Record{ID: id, URL: s.urls.Credential(id), Kid: s.urls.Key(c.KeyID), VerifyURL: s.urls.Verify(id),
		ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil, IssuedAt: c.IssuedAt, Log: LogPosition{Index: c.IssuedIndex},
		RevokedAt: c.RevokedAt, SuspendedAt: c.SuspendedAt}
	read, err := s.describe(ctx, &r, c)
	if err != nil {
		return described{}, nil, err
	}
	key, err := s.issuerKey(ctx, c.KeyID)
	if err != nil {
		return described{}, nil, err
	}
	return described{status: c, record: r, key: key.Key}, append(append(streams, read...), credential.KeyStream(c.KeyID)), nil
}

// describe sets who issued credential c to whom, for what, and returns the
// streams it read. The holder is read beside the rest, each on its own
// connection: both are reads of streams no cache is likely to hold, and a
// request then waits for the slower one only.
func (s *Service) describe(ctx context.Context, r *Record, c *credentialstatus.Credential) ([]string, error) {
	var (
		holderErr error
		wg        sync.WaitGroup
	)
	wg.Go(func() { r.Holder, holderErr = s.holderName(ctx, c.ParticipantID) })
	hostOID, err := s.describeIssuance(ctx, r, c)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if holderErr != nil {
		return nil, holderErr
	}
	return []string{domain.OrganisationStream(c.IssuerOID), domain.ParticipantStream(c.ParticipantID),
		domain.MobilityStream(c.MobilityID), domain.OrganisationStream(hostOID)}, nil
}

// holderName is participant id as a record names them.
func (s *Service) holderName(ctx context.Context, id string) (HolderName, error) {
	p, err := s.participant(ctx, id)
	if err != nil {
		return HolderName{}, err
	}
	return HolderName{Name: p.Personal.FullName(), Erased: p.Erased}, nil
}

// describeIssuance sets who issued credential c and for what, and returns
// the OID of the mobility's host.
func (s *Service) describeIssuance(ctx context.Context, r *Record, c *credentialstatus.Credential) (string, error) {
	var err error
	if r.Issuer, err = s.issuer(ctx, c.IssuerOID); err != nil {
		return "", err
	}
	if r.Issuer.OID == "" {
		r.Issuer = Issuer{OID: c.IssuerOID}
	}
	m, err := s.mobility(ctx, c.MobilityID)
	if err != nil {
		return "", err
	}
	host, err := s.host(ctx, m.Host)
	if err != nil {
		return "", err
	}
	if m.Completion != nil {
		r.Achievement = summarise(s.achieved(m, host))
		r.Achievement.Hours = m.Completion.Hours
	}
	return m.Host.OID, nil
}

// recordChecks are the checks of a record: what the log says of its issuer
// and key, its status and validity, and its issuance.
func recordChecks(r Record, key credential.Key) []Check {
	var until time.Time
	if r.ValidUntil != nil {
		until = *r.ValidUntil
	}
	expiry, _ := checkExpiry(Claims{ValidFrom: r.ValidFrom, Nbf: r.ValidFrom, ValidUntil: until, Exp: until}, r.At)
	return []Check{recordIssuer(r, key), recordStatus(r), expiry,
		passed(CheckLedger, "Recorded in the ledger at log index %d on %s.", r.Log.Index, stamp(r.IssuedAt))}
}

func recordIssuer(r Record, key credential.Key) Check {
	iss := r.Issuer
	switch {
	case iss.ID == "":
		return failed(CheckIssuer, "The issuing organisation %s is not registered.", iss.OID)
	case !key.Exists():
		return failed(CheckIssuer, "The credential's signing key is not registered.")
	case !key.ValidAt(r.ValidFrom):
		return failed(CheckIssuer, "The key %s was not valid when the credential was issued on %s.", key.ID, stamp(r.ValidFrom))
	}
	return passed(CheckIssuer, "Issued by %s (%s, %s) on %s with a key that was valid then.", iss.Name, iss.OID, iss.Country, stamp(r.ValidFrom))
}

func recordStatus(r Record) Check {
	switch {
	case r.RevokedAt != nil:
		return failed(CheckStatus, "Revoked by its issuer on %s.", stamp(*r.RevokedAt))
	case r.SuspendedAt != nil:
		return failed(CheckStatus, "Suspended by its issuer since %s.", stamp(*r.SuspendedAt))
	}
	return passed(CheckStatus, "Not revoked and not suspended (as of %s).", stamp(r.At))
}
