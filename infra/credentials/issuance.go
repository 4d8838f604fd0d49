package credentials

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/domain/mobility"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
	"github.com/erasmus-ledger/ledger/infra/store"
)

// Issuance is a credential just issued: its ID, the compact VC-JWT handed to
// its holder, the page that verifies it, and the log index of its issuance.
type Issuance struct {
	ID        string
	Token     string
	VerifyURL string
	LogIndex  uint64
	Holder    string // the participant whose name the token carries
}

// CredentialID is the ID of the n-th credential (from 1) issued for mobility
// mobilityID. The IDs are deterministic so that the log's unique (stream,
// version) constraint, not a read before the write, keeps a mobility at one
// unrevoked credential: the n-th is issued only once the earlier ones are
// revoked, so two concurrent issuances append to the same new stream and one
// of them loses.
func CredentialID(mobilityID string, n int) string {
	return "cred-" + mobilityID + "-" + strconv.Itoa(n)
}

// Issue issues the credential for completed mobility mobilityID: it allocates
// the credential's revocation and suspension bits, builds the Open Badges
// credential, signs it with the sending organisation's signing key and
// records its issuance with the token's hash. It fails with a Conflict while
// the mobility has an unrevoked credential, and for an erased participant.
func (s *Service) Issue(ctx context.Context, by domain.Actor, mobilityID string, meta store.Metadata) (Issuance, error) {
	if err := domain.ValidID("mobility id", mobilityID); err != nil {
		return Issuance{}, err
	}
	m, err := s.mobility(ctx, mobilityID)
	if err != nil {
		return Issuance{}, err
	}
	d := draft{at: s.cmds.Now()}
	if d.id, d.subject, err = s.nextCredential(ctx, m); err != nil {
		return Issuance{}, err
	}
	if d.key, err = s.signingKey(ctx, m.SendingOrg); err != nil {
		return Issuance{}, err
	}
	if err := (credential.Credential{}).MayIssue(by, d.subject, d.key, d.at); err != nil {
		return Issuance{}, err
	}
	if err := s.draft(ctx, &d, m); err != nil {
		return Issuance{}, err
	}
	token, err := s.sign(ctx, d.key, d.badge)
	if err != nil {
		return Issuance{}, err
	}
	return s.record(ctx, by, d, token, meta)
}

// draft is a credential being issued: its ID, what it says, the status bits
// allocated to it, the mobility as issuing sees it, the key that signs it and
// the time of issue.
type draft struct {
	id       string
	badge    Badge
	rev, sus statuslist.Entry
	subject  credential.Mobility
	key      credential.Key
	at       time.Time
}

// nextCredential returns the ID the mobility's next credential takes (see
// CredentialID) and the mobility as issuing sees it: the first number whose
// stream is empty, unless an earlier credential is not revoked.
func (s *Service) nextCredential(ctx context.Context, m mobility.Mobility) (string, credential.Mobility, error) {
	subject := credential.Mobility{ID: m.ID, ParticipantID: m.ParticipantID, SendingOrg: m.SendingOrg,
		Completed: m.Completion != nil && m.State != mobility.StateCancelled}
	for n := 1; ; n++ {
		id := CredentialID(m.ID, n)
		c, _, err := s.credential(ctx, id)
		switch {
		case err != nil:
			return "", subject, err
		case !c.Exists():
			return id, subject, nil
		case !c.Revoked:
			subject.Unrevoked = c.ID
			return id, subject, nil
		}
	}
}

// draft fills in what d says about mobility m, allocating its status bits.
func (s *Service) draft(ctx context.Context, d *draft, m mobility.Mobility) error {
	p, err := s.participant(ctx, m.ParticipantID)
	if err != nil {
		return err
	}
	if p.Erased {
		return domain.Conflictf("participant %s was erased; a new credential cannot name them", p.ID)
	}
	issuer, err := s.issuer(ctx, m.SendingOrg)
	if err != nil {
		return err
	}
	host, err := s.host(ctx, m.Host)
	if err != nil {
		return err
	}
	if d.rev, err = s.alloc.Allocate(ctx, m.SendingOrg, statuslist.Revocation, d.id); err != nil {
		return err
	}
	if d.sus, err = s.alloc.Allocate(ctx, m.SendingOrg, statuslist.Suspension, d.id); err != nil {
		return err
	}
	d.badge = Badge{ID: s.urls.Credential(d.id), Issuer: issuer, Holder: Holder{ID: s.urls.Participant(p.ID), Name: p.Personal.FullName()},
		Mobility: s.achieved(m, host), ValidFrom: d.at, Status: []StatusRef{
			{Purpose: statuslist.Revocation, ListURL: s.urls.StatusList(d.rev.List), Index: d.rev.Index},
			{Purpose: statuslist.Suspension, ListURL: s.urls.StatusList(d.sus.List), Index: d.sus.Index}}}
	return nil
}

// host is the mobility's host as credentials name it. A host recorded by its
// OID alone is named as its registration says, or by its OID.
func (s *Service) host(ctx context.Context, h mobility.Host) (Host, error) {
	out := Host{OID: h.OID, Name: h.Name, Country: h.Country}
	if out.Name != "" || h.OID == "" {
		return out, nil
	}
	o, err := s.knownOrganisation(ctx, h.OID)
	if err != nil {
		return Host{}, err
	}
	out.Name, out.Country = o.Name, cmp.Or(h.Country, o.Country)
	if out.Name == "" {
		out.Name = "Organisation " + h.OID
	}
	return out, nil
}

// achieved is the completed mobility m as a credential describes it.
func (s *Service) achieved(m mobility.Mobility, host Host) Mobility {
	c := m.Completion
	results := map[string]mobility.Result{}
	for _, r := range c.Results {
		results[r.OutcomeID] = r.Result
	}
	out := Mobility{URL: s.urls.Mobility(m.ID), Activity: string(m.Activity), Host: host,
		StartDate: c.StartDate, EndDate: c.EndDate, Language: m.Language, ECTS: c.ECTS}
	for _, o := range m.Outcomes {
		out.Outcomes = append(out.Outcomes, Outcome{ID: o.ID, Title: o.Title, Description: o.Description,
			EQFLevel: o.EQFLevel, ESCOURI: o.ESCOURI, Result: string(results[o.ID])})
	}
	return out
}

// sign builds b and signs it with key.
func (s *Service) sign(ctx context.Context, key credential.Key, b Badge) (string, error) {
	c, err := BuildBadge(b)
	if err != nil {
		return "", err
	}
	signer, err := s.signer(ctx, key)
	if err != nil {
		return "", err
	}
	return signer.SignCredential(c)
}

// record appends the issuance of d, signed as token, to the credential's
// stream. A concurrent issuance of the same credential makes the append, or
// the decision retried after it, fail with a Conflict.
func (s *Service) record(ctx context.Context, by domain.Actor, d draft, token string, meta store.Metadata) (Issuance, error) {
	cmd := credential.Issue{ID: d.id, ValidFrom: d.badge.ValidFrom, ValidUntil: d.badge.ValidUntil, TokenSHA256: TokenSHA256(token),
		Revocation: credential.StatusEntry(d.rev), Suspension: credential.StatusEntry(d.sus)}
	res, err := s.cmds.Execute(ctx, credential.Stream(d.id), nil, meta, func(past []domain.Event, at time.Time) ([]domain.Event, error) {
		return credential.Fold(past...).Issue(by, cmd, d.subject, d.key, at)
	})
	if err != nil {
		return Issuance{}, fmt.Errorf("record credential %s: %w", d.id, err)
	}
	return Issuance{ID: d.id, Token: token, VerifyURL: s.urls.Verify(d.id), LogIndex: res.Records[0].Index, Holder: d.subject.ParticipantID}, nil
}
