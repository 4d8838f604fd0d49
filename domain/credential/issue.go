package credential

import (
	"time"

	"github.com/erasmus-ledger/ledger/domain"
)

// Mobility is what issuing needs to know of the mobility a credential attests,
// as folded from the mobility's stream and the credentials recorded for it.
type Mobility struct {
	ID            string
	ParticipantID string
	SendingOrg    string
	// Completed is whether the mobility was completed (and possibly
	// recognised since): credentials attest completed mobilities only.
	Completed bool
	// Unrevoked is the ID of a credential already issued for the mobility and
	// not revoked, or "": a mobility has at most one such credential.
	Unrevoked string
}

// Issue is the command to record a signed credential. The caller allocates the
// status entries and signs the token before deciding, since the event holds
// the token's hash; ValidFrom and ValidUntil are the token's, and are stored
// in whole seconds.
type Issue struct {
	ID          string
	ValidFrom   time.Time
	ValidUntil  *time.Time
	TokenSHA256 string
	Revocation  StatusEntry
	Suspension  StatusEntry
}

// MayIssue reports, as Issue would, whether by may issue credential c for
// mobility m, signed with key at time at. Callers check it before allocating
// status entries and signing.
func (c Credential) MayIssue(by domain.Actor, m Mobility, key Key, at time.Time) error {
	switch {
	case c.Exists():
		return domain.Conflictf("credential %s is already issued", c.ID)
	case m.ID == "":
		return domain.NotFoundf("mobility not found")
	case !by.ActsFor(m.SendingOrg):
		return domain.Forbiddenf("only an issuer of %s may issue credentials for its mobilities", m.SendingOrg)
	case !m.Completed:
		return domain.Conflictf("mobility %s is not completed; a credential attests a completed mobility", m.ID)
	case m.Unrevoked != "":
		return domain.Conflictf("mobility %s already has credential %s; revoke it before issuing another", m.ID, m.Unrevoked)
	case !key.Exists():
		return domain.Conflictf("organisation %s has no signing key; create one first", m.SendingOrg)
	case key.OID != m.SendingOrg:
		return domain.Invalidf("signing key %s belongs to %s, not %s", key.ID, key.OID, m.SendingOrg)
	case key.Revoked:
		return domain.Conflictf("signing key %s is revoked", key.ID)
	case !key.ValidAt(at):
		return domain.Conflictf("signing key %s is not valid at %s", key.ID, at.UTC().Format(time.RFC3339))
	}
	return nil
}

// Issue decides on recording credential cmd.ID for mobility m, signed with key.
func (c Credential) Issue(by domain.Actor, cmd Issue, m Mobility, key Key, at time.Time) ([]domain.Event, error) {
	if err := c.MayIssue(by, m, key, at); err != nil {
		return nil, err
	}
	e := Issued{
		CredentialID: cmd.ID, MobilityID: m.ID, ParticipantID: m.ParticipantID, IssuerOID: m.SendingOrg, KeyID: key.ID,
		ValidFrom: wholeSeconds(cmd.ValidFrom), TokenSHA256: cmd.TokenSHA256,
		RevocationList: cmd.Revocation.List, RevocationIndex: cmd.Revocation.Index,
		SuspensionList: cmd.Suspension.List, SuspensionIndex: cmd.Suspension.Index,
	}
	if cmd.ValidUntil != nil {
		u := wholeSeconds(*cmd.ValidUntil)
		e.ValidUntil = &u
	}
	if err := e.validate(key, at); err != nil {
		return nil, err
	}
	return []domain.Event{e}, nil
}

// wholeSeconds is t in UTC without its fraction of a second, as JWT times are.
func wholeSeconds(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func (e Issued) validate(key Key, at time.Time) error {
	if err := domain.ValidID("id", e.CredentialID); err != nil {
		return err
	}
	if err := e.validateTimes(key, at); err != nil {
		return err
	}
	if !isSHA256Hex(e.TokenSHA256) {
		return domain.Invalidf("token_sha256 must be 64 lower-case hexadecimal digits")
	}
	if err := validEntry("revocation", StatusEntry{e.RevocationList, e.RevocationIndex}); err != nil {
		return err
	}
	if err := validEntry("suspension", StatusEntry{e.SuspensionList, e.SuspensionIndex}); err != nil {
		return err
	}
	if e.RevocationList == e.SuspensionList {
		return domain.Invalidf("revocation and suspension entries must be in different lists")
	}
	return nil
}

func (e Issued) validateTimes(key Key, at time.Time) error {
	switch {
	case e.ValidFrom.IsZero():
		return domain.Invalidf("valid_from is required")
	case e.ValidFrom.After(at):
		return domain.Invalidf("valid_from %s is after the time of issue", e.ValidFrom.Format(time.RFC3339))
	case !key.ValidAt(e.ValidFrom):
		return domain.Invalidf("valid_from %s is outside the validity of signing key %s", e.ValidFrom.Format(time.RFC3339), key.ID)
	case e.ValidUntil != nil && !e.ValidUntil.After(e.ValidFrom):
		return domain.Invalidf("valid_until %s is not after valid_from %s", e.ValidUntil.Format(time.RFC3339), e.ValidFrom.Format(time.RFC3339))
	}
	return nil
}

func validEntry(purpose string, s StatusEntry) error {
	if err := domain.ValidID(purpose+" list", s.List); err != nil {
		return err
	}
	if s.Index < 0 {
		return domain.Invalidf("%s index %d is negative", purpose, s.Index)
	}
	return nil
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}
