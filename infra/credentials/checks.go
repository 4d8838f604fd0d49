package credentials

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
)

func failed(name, format string, a ...any) Check {
	return Check{Name: name, Detail: fmt.Sprintf(format, a...)}
}

func passed(name, format string, a ...any) Check {
	return Check{Name: name, OK: true, Detail: fmt.Sprintf(format, a...)}
}

// checkSignature finds the key the header names among the ledger's and checks
// the signature with it, accepting ES256 only: neither "none", nor HMAC with
// the public key as secret, nor any algorithm the key was not made for.
func (v *Verifier) checkSignature(ctx context.Context, p Presented) (IssuerKey, Check) {
	h := p.Header
	switch {
	case h.Alg != Alg:
		return IssuerKey{}, failed(CheckSignature, "The algorithm %s is not accepted: the ledger's credentials are signed with ES256 only.", clip(h.Alg))
	case h.Crit:
		return IssuerKey{}, failed(CheckSignature, "The header declares critical extensions (crit), which the ledger does not use.")
	case h.Kid == "":
		return IssuerKey{}, failed(CheckSignature, "The header names no key (kid).")
	}
	key, err := v.Keys.ResolveKey(ctx, h.Kid)
	if errors.Is(err, domain.ErrNotFound) {
		return IssuerKey{}, failed(CheckSignature, "The key %s is not one of the ledger's signing keys.", clip(h.Kid))
	}
	if err != nil {
		return IssuerKey{}, failed(CheckSignature, "The key %s could not be looked up; try again later.", clip(h.Kid))
	}
	pub, err := key.publicKey()
	if err != nil {
		return IssuerKey{}, failed(CheckSignature, "The key %s is not a usable P-256 key.", clip(h.Kid))
	}
	if err := jwt.SigningMethodES256.Verify(p.signingInput, p.signature, pub); err != nil {
		return IssuerKey{}, failed(CheckSignature, "The signature does not match the key %s: the credential was altered, or signed with another key.", clip(h.Kid))
	}
	return key, passed(CheckSignature, "Signed with ES256 by the key %s of organisation %s.", h.Kid, key.Key.OID)
}

// checkIssuer checks that the credential names the organisation its key
// belongs to, a registered one, and that the key was valid when the credential
// says it was issued (nbf, or validFrom).
func checkIssuer(c Claims, key IssuerKey) Check {
	k, iss := key.Key, key.Issuer
	switch {
	case iss.ID == "":
		return failed(CheckIssuer, "The key %s belongs to %s, which is not a registered organisation.", k.ID, k.OID)
	case c.Malformed["iss"] != "" || c.Malformed["issuer"] != "":
		return failed(CheckIssuer, "The issuer is malformed in the credential.")
	case c.Iss != iss.ID || c.IssuerID != iss.ID:
		return failed(CheckIssuer, "The credential names the issuer %s, but its key belongs to %s (%s).", clip(c.IssuerID), iss.Name, iss.ID)
	}
	issued := c.Nbf
	if issued.IsZero() {
		issued = c.ValidFrom
	}
	switch {
	case issued.IsZero():
		return failed(CheckIssuer, "The credential does not say when it was issued (nbf, validFrom).")
	case issued.Before(k.RegisteredAt.Truncate(time.Second)):
		return failed(CheckIssuer, "The credential claims to be issued on %s, before its key %s was registered on %s.", stamp(issued), k.ID, stamp(k.RegisteredAt))
	case !k.ValidAt(issued):
		return failed(CheckIssuer, "The key %s was revoked on %s, before the credential was issued on %s.", k.ID, stamp(k.RevokedAt), stamp(issued))
	}
	return passed(CheckIssuer, "Issued by %s (%s, %s) on %s with a key that was valid then.", iss.Name, iss.OID, iss.Country, stamp(issued))
}

// checkStatus reads every status entry's bit as of at, which is now if now is
// set. The credential must have a revocation entry; a bit that cannot be read
// makes the status unknown, which fails the check.
func (v *Verifier) checkStatus(ctx context.Context, c Claims, at time.Time, now bool) (Check, credential.Status) {
	if bad := c.Malformed["credentialStatus"]; bad != "" {
		return failed(CheckStatus, "The status entries are malformed (%s), so the status cannot be determined.", bad), StatusUnknown
	}
	var notes []string
	var revoked, suspended, unknown, hasRevocation bool
	asked := at
	if now {
		asked = time.Time{}
	}
	for _, e := range c.Status {
		set, note, err := v.statusEntry(ctx, e, asked)
		notes = append(notes, note)
		hasRevocation = hasRevocation || (err == nil && e.StatusPurpose == string(statuslist.Revocation))
		switch {
		case err != nil:
			unknown = true
		case set && e.StatusPurpose == string(statuslist.Revocation):
			revoked = true
		case set:
			suspended = true
		}
	}
	if !hasRevocation && !unknown {
		unknown = true
		notes = append(notes, "the credential has no revocation entry, so whether it was revoked cannot be determined")
	}
	detail := strings.Join(notes, "; ")
	detail = strings.ToUpper(detail[:1]) + detail[1:] + " (as of " + stamp(at) + ")."
	ok := !revoked && !suspended && !unknown
	return Check{Name: CheckStatus, OK: ok, Detail: detail}, statusOf(revoked, suspended, unknown)
}

func statusOf(revoked, suspended, unknown bool) credential.Status {
	switch {
	case revoked:
		return credential.StatusRevoked
	case suspended:
		return credential.StatusSuspended
	case unknown:
		return StatusUnknown
	}
	return credential.StatusActive
}

// statusEntry reads one entry's bit as of at (now, if zero), and says what it
// found.
func (v *Verifier) statusEntry(ctx context.Context, e StatusClaim, at time.Time) (bool, string, error) {
	purpose, err := statuslist.ParsePurpose(e.StatusPurpose)
	if err != nil {
		return false, fmt.Sprintf("a status entry has the purpose %s, which cannot be checked", clip(e.StatusPurpose)), err
	}
	idx, err := parseIndex(e.StatusListIndex)
	if e.Type != "BitstringStatusListEntry" || e.StatusListCredential == "" || err != nil {
		err = errors.New("malformed entry")
		return false, fmt.Sprintf("the %s entry is not a well-formed BitstringStatusListEntry, so the %s status cannot be determined", purpose, purpose), err
	}
	set, err := v.Status.StatusBit(ctx, e.StatusListCredential, idx, purpose, at)
	if err != nil {
		return false, fmt.Sprintf("the %s status could not be determined: %s", purpose, reason(err, "its status list could not be read")), err
	}
	switch {
	case set && purpose == statuslist.Revocation:
		return true, "revoked by its issuer", nil
	case set:
		return true, "suspended by its issuer", nil
	case purpose == statuslist.Revocation:
		return false, "not revoked", nil
	}
	return false, "not suspended", nil
}

// parseIndex reads a statusListIndex: a decimal string of digits only.
func parseIndex(s string) (int, error) {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, errors.New("not a decimal index")
		}
	}
	return strconv.Atoi(s)
}

// checkExpiry checks the validity period, which validFrom/validUntil and
// nbf/exp must state alike (to the second). It also reports whether the
// credential has expired.
func checkExpiry(c Claims, at time.Time) (Check, bool) {
	for _, name := range []string{"validFrom", "validUntil", "nbf", "exp"} {
		if bad := c.Malformed[name]; bad != "" {
			return failed(CheckExpiry, "The credential's %s is malformed: %s.", name, bad), false
		}
	}
	from, until := c.ValidFrom, c.ValidUntil
	switch {
	case from.IsZero() && c.Nbf.IsZero():
		return failed(CheckExpiry, "The credential states neither validFrom nor nbf."), false
	case !from.IsZero() && !c.Nbf.IsZero() && !sameSecond(from, c.Nbf):
		return failed(CheckExpiry, "Its nbf (%s) and validFrom (%s) disagree.", stamp(c.Nbf), stamp(from)), false
	case !sameSecond(until, c.Exp):
		return failed(CheckExpiry, "Its exp and validUntil disagree."), false
	}
	if from.IsZero() {
		from = c.Nbf
	}
	if at.Before(from) {
		return failed(CheckExpiry, "Not valid before %s; the verification is as of %s.", stamp(from), stamp(at)), false
	}
	if until.IsZero() {
		return passed(CheckExpiry, "Valid from %s, with no expiry date.", stamp(from)), false
	}
	if !at.Before(until) {
		return failed(CheckExpiry, "Expired on %s.", stamp(until)), true
	}
	return passed(CheckExpiry, "Valid from %s until %s.", stamp(from), stamp(until)), false
}

func sameSecond(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() == b.IsZero()
	}
	return a.Truncate(time.Second).Equal(b.Truncate(time.Second))
}

// checkLedger checks that the log recorded the credential's issuance by at,
// with the hash of exactly the presented token.
func (v *Verifier) checkLedger(ctx context.Context, p Presented, at time.Time) Check {
	c := p.Claims
	switch {
	case c.Jti == "":
		return failed(CheckLedger, "The credential has no jti, so the ledger cannot look it up.")
	case c.Jti != c.ID:
		return failed(CheckLedger, "Its jti and id disagree.")
	}
	rec, err := v.Ledger.Recorded(ctx, c.Jti)
	if errors.Is(err, domain.ErrNotFound) {
		return failed(CheckLedger, "The ledger has no record of issuing the credential %s.", clip(c.Jti))
	}
	if err != nil {
		return failed(CheckLedger, "The ledger's record could not be read; try again later.")
	}
	switch {
	case rec.RecordedAt.After(at):
		return failed(CheckLedger, "The ledger recorded the credential on %s, after %s.", stamp(rec.RecordedAt), stamp(at))
	case p.tokenSHA256 != rec.TokenSHA256:
		return failed(CheckLedger, "The ledger recorded this credential, but the presented token is not byte-identical to the one it issued.")
	}
	recorded := fmt.Sprintf("Recorded in the ledger at log index %d on %s; the token is byte-identical to the one issued.", rec.LogIndex, stamp(rec.RecordedAt))
	if v.Inclusion == nil {
		return passed(CheckLedger, "%s", recorded)
	}
	proof, err := v.Inclusion(ctx, rec.LogIndex)
	if err != nil {
		return failed(CheckLedger, "%s", reason(err, "The ledger could not prove that its log holds the issuance; try again later."))
	}
	return passed(CheckLedger, "%s %s", recorded, proof)
}

// stamp writes a time for people: to the second, in UTC.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// maxQuoted is how much of a presented value a detail repeats, in runes.
const maxQuoted = 80

// clip quotes a value taken from a presented token, cut to maxQuoted runes.
func clip(s string) string {
	if utf8.RuneCountInString(s) > maxQuoted {
		s = string([]rune(s)[:maxQuoted]) + "…"
	}
	return strconv.Quote(s)
}

// reason is the message of a domain error, safe to show, or fallback.
func reason(err error, fallback string) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Msg
	}
	return fallback
}
