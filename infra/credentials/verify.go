package credentials

import (
	"context"
	"crypto/ecdsa"
	"time"

	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
)

// The names of the checks a verification reports, in the order it reports
// them.
const (
	CheckSignature = "signature"
	CheckIssuer    = "issuer"
	CheckStatus    = "status"
	CheckExpiry    = "expiry"
	CheckLedger    = "ledger"
)

// StatusUnknown is a verification's status when the credential's status could
// not be determined: its status list could not be read, or the signature that
// vouches for its status entries failed.
const StatusUnknown credential.Status = "unknown"

// IssuerKey is a signing key of the ledger with the organisation it belongs
// to, as a KeyResolver finds it. Issuer is zero if the organisation is not
// registered.
type IssuerKey struct {
	Key    credential.Key
	Issuer Issuer
	// public is Key's public key, parsed when the Service remembered the
	// key; nil if it was not.
	public *ecdsa.PublicKey
}

// publicKey returns the key to check signatures with: the one parsed when k
// was remembered, or else Key's JWK parsed now.
func (k IssuerKey) publicKey() (*ecdsa.PublicKey, error) {
	if k.public != nil {
		return k.public, nil
	}
	return PublicKey(k.Key.PublicJWK)
}

// KeyResolver finds the ledger's signing keys by kid. ResolveKey returns an
// error wrapping domain.ErrNotFound when kid names none of them.
type KeyResolver interface {
	ResolveKey(ctx context.Context, kid string) (IssuerKey, error)
}

// StatusChecker reads status lists. StatusBit reports whether bit index of
// the status list at listURL, kept for purpose, was set at time at; a zero at
// asks for the bit as it is now, with every event logged so far. An error
// means the bit cannot be determined; its message is shown to the verifier's
// caller if it wraps a domain error kind.
type StatusChecker interface {
	StatusBit(ctx context.Context, listURL string, index int, purpose statuslist.Purpose, at time.Time) (bool, error)
}

// Recorded is what the log holds of a credential's issuance.
type Recorded struct {
	TokenSHA256 string
	LogIndex    uint64
	RecordedAt  time.Time
}

// LedgerChecker finds issued credentials in the log. Recorded returns what was
// recorded when the credential whose id (and jti) is credentialURL was issued,
// or an error wrapping domain.ErrNotFound if it never was.
type LedgerChecker interface {
	Recorded(ctx context.Context, credentialURL string) (Recorded, error)
}

// Verifier checks presented credentials against the ledger's keys, status
// lists and log. Now is its clock, read for verifications that name no time.
type Verifier struct {
	Keys   KeyResolver
	Status StatusChecker
	Ledger LedgerChecker
	Now    func() time.Time
	// Inclusion, if set, proves that the log entry at index (the issuance)
	// is in the tree of the transparency log's latest signed checkpoint, and
	// says how in a sentence that the ledger check's detail ends with. Its
	// error fails the ledger check, with the message of a domain error.
	Inclusion func(ctx context.Context, index uint64) (string, error)
}

// Check is the outcome of one check: its name, whether it passed, and a
// sentence saying why.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Verification is a verification's outcome. Valid is true only if every check
// passed. Status is active, revoked, suspended, expired, or StatusUnknown.
// Issuer is the signing key's organisation, once the signature holds.
type Verification struct {
	Valid  bool              `json:"valid"`
	Status credential.Status `json:"status"`
	At     time.Time         `json:"at"`
	Checks []Check           `json:"checks"`
	Issuer Issuer            `json:"issuer"`
}

// Check returns the check called name, and whether there is one.
func (r Verification) Check(name string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Verify parses token and verifies it as of at (now, if at is zero). Its only
// error is ParsePresented's for input that is not a JWT; a well-formed token
// that fails is a Verification with Valid false and the failing checks named.
func (v *Verifier) Verify(ctx context.Context, token string, at time.Time) (Verification, error) {
	p, err := ParsePresented(token)
	if err != nil {
		return Verification{}, err
	}
	return v.VerifyPresented(ctx, p, at), nil
}

// VerifyPresented verifies p as of at (now, if at is zero). The signature is
// checked first: the other checks read the payload, and an unsigned claim
// proves nothing, so if the signature fails they report that they were not run.
func (v *Verifier) VerifyPresented(ctx context.Context, p Presented, at time.Time) Verification {
	now := at.IsZero()
	if now {
		at = v.Now()
	}
	r := Verification{At: at, Status: StatusUnknown}
	key, sig := v.checkSignature(ctx, p)
	r.Checks = append(r.Checks, sig)
	if !sig.OK {
		for _, name := range []string{CheckIssuer, CheckStatus, CheckExpiry, CheckLedger} {
			r.Checks = append(r.Checks, Check{Name: name, Detail: "Not checked: the signature is not valid, so nothing the credential says can be trusted."})
		}
		return r
	}
	r.Issuer = key.Issuer
	st, status := v.checkStatus(ctx, p.Claims, at, now)
	exp, expired := checkExpiry(p.Claims, at)
	r.Checks = append(r.Checks, checkIssuer(p.Claims, key), st, exp, v.checkLedger(ctx, p, at))
	r.Status = status
	if status == credential.StatusActive && expired {
		r.Status = credential.StatusExpired
	}
	r.Valid = allOK(r.Checks)
	return r
}

func allOK(checks []Check) bool {
	for _, c := range checks {
		if !c.OK {
			return false
		}
	}
	return true
}
