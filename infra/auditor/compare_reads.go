package auditor

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/domain/credential"
	"github.com/erasmus-ledger/ledger/infra/tlog/audit"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
	"github.com/erasmus-ledger/ledger/projections/directory"
	"github.com/erasmus-ledger/ledger/projections/transcript"
)

// differs makes a finding about the streams given.
func differs(streams []string, format string, a ...any) *finding {
	return &finding{Discrepancy: audit.Discrepancy{Kind: Differs, Detail: fmt.Sprintf(format, a...)}, streams: streams}
}

// servedCredential is what GET /v1/credentials/{id}/verification says that
// the comparison checks.
type servedCredential struct {
	Status    credential.Status `json:"status"`
	At        time.Time         `json:"at"`
	IssuedAt  time.Time         `json:"issued_at"`
	RevokedAt *time.Time        `json:"revoked_at"`
	Issuer    struct {
		OID string `json:"oid"`
	} `json:"issuer"`
	Log struct {
		Index uint64 `json:"index"`
	} `json:"log"`
}

// credentials compares a credential's public verification with the
// credentialstatus read model replayed.
func (c *comparer) credentials(ctx context.Context, key string) (*finding, error) {
	d, err := projections.Get[credentialstatus.Credential](ctx, c.replay.docs(credentialstatus.Name), key)
	if err != nil || d == nil {
		return nil, err
	}
	var s servedCredential
	found, err := c.api.get(ctx, "/v1/credentials/"+url.PathEscape(d.ID)+"/verification", false, &s)
	if err != nil {
		return nil, err
	}
	streams := []string{credential.Stream(d.ID)}
	name := fmt.Sprintf("credential %s (issued at entry %d)", d.ID, d.IssuedIndex)
	switch {
	case !found:
		return differs(streams, "%s: the ledger does not know it", name), nil
	case s.Log.Index != d.IssuedIndex:
		return differs(streams, "%s: the ledger says it was issued at entry %d", name, s.Log.Index), nil
	case s.Issuer.OID != d.IssuerOID:
		return differs(streams, "%s: the ledger names issuer %s, the log %s", name, s.Issuer.OID, d.IssuerOID), nil
	case !s.IssuedAt.Equal(d.IssuedAt):
		return differs(streams, "%s: the ledger says it was issued at %s, the log at %s", name, stamp(s.IssuedAt), stamp(d.IssuedAt)), nil
	case s.Status != d.At(s.At):
		return differs(streams, "%s: the ledger says %s, the log says %s", name, s.Status, d.At(s.At)), nil
	case !sameTime(s.RevokedAt, d.RevokedAt):
		return differs(streams, "%s: the ledger and the log disagree on when it was revoked", name), nil
	}
	return nil, nil
}

// servedOrganisation is what GET /v1/organisations/{oid} says.
type servedOrganisation struct {
	Name          string `json:"name"`
	Country       string `json:"country"`
	Kind          string `json:"kind"`
	Accreditation string `json:"accreditation"`
}

// organisations compares a registered organisation as the ledger serves it
// with the directory read model replayed.
func (c *comparer) organisations(ctx context.Context, key string) (*finding, error) {
	d, err := projections.Get[directory.Organisation](ctx, c.replay.docs(directory.Name), key)
	if err != nil || d == nil || !d.Registered {
		return nil, err
	}
	var s servedOrganisation
	found, err := c.api.get(ctx, "/v1/organisations/"+url.PathEscape(d.OID), true, &s)
	if err != nil {
		return nil, err
	}
	streams := []string{domain.OrganisationStream(d.OID)}
	switch {
	case !found:
		return differs(streams, "organisation %s: the ledger does not know it", d.OID), nil
	case s != servedOrganisation{Name: d.Name, Country: d.Country, Kind: d.Kind, Accreditation: d.Accreditation}:
		return differs(streams, "organisation %s: the ledger serves %+v, the log says %s, %s, %s, %s", d.OID, s, d.Name, d.Country, d.Kind, d.Accreditation), nil
	}
	return nil, nil
}

// transcripts compares a participant's transcript as the ledger serves it
// with the one built from the transcript read model replayed. Personal data
// (the holder's name and birth date), which the log holds sealed, and the
// verification links, which depend on the ledger's public URL, are left out.
func (c *comparer) transcripts(ctx context.Context, key string) (*finding, error) {
	docs := c.replay.docs(transcript.Name)
	p, err := projections.Get[transcript.Participant](ctx, docs, key)
	if err != nil || p == nil {
		return nil, err
	}
	var served transcript.Transcript
	found, err := c.api.get(ctx, "/v1/participants/"+url.PathEscape(p.ID)+"/transcript", true, &served)
	if err != nil {
		return nil, err
	}
	streams, err := transcript.Streams(ctx, docs, p.ID)
	if err != nil {
		return nil, err
	}
	if !found {
		return differs(streams, "participant %s: the ledger has no transcript", p.ID), nil
	}
	replayed, err := transcript.Build(ctx, docs, p.ID, transcript.Options{At: time.Now()})
	if err != nil {
		return nil, err
	}
	if where := firstDifference(impersonal(served), impersonal(replayed)); where != "" {
		return differs(streams, "participant %s: the ledger's transcript differs from the log's in %s", p.ID, where), nil
	}
	return nil, nil
}

// impersonal is t without what the comparison leaves out.
func impersonal(t transcript.Transcript) transcript.Transcript {
	t.Holder.Name, t.Holder.BirthDate, t.AsOf = "", "", nil
	ms := make([]transcript.MobilityView, len(t.Mobilities))
	for i, m := range t.Mobilities {
		cs := make([]transcript.CredentialView, len(m.Credentials))
		for j, cr := range m.Credentials {
			cr.VerifyURL = ""
			cs[j] = cr
		}
		m.Credentials = cs
		ms[i] = m
	}
	t.Mobilities = ms
	return t
}

// firstDifference names the first part in which a and b differ, or "".
func firstDifference(a, b transcript.Transcript) string {
	if !sameJSON(a.Holder, b.Holder) || a.Erased != b.Erased {
		return "the holder"
	}
	if len(a.Mobilities) != len(b.Mobilities) {
		return fmt.Sprintf("the number of mobilities (%d served, %d in the log)", len(a.Mobilities), len(b.Mobilities))
	}
	for i := range a.Mobilities {
		if member := differingMember(a.Mobilities[i], b.Mobilities[i]); member != "" {
			return fmt.Sprintf("mobility %s (%s)", b.Mobilities[i].ID, member)
		}
	}
	return ""
}

// differingMember names the first member, in name order, of the JSON
// objects a and b marshal to whose values differ; "" if none does.
func differingMember(a, b any) string {
	var x, y map[string]json.RawMessage
	if json.Unmarshal(mustJSON(a), &x) != nil || json.Unmarshal(mustJSON(b), &y) != nil {
		return "unreadable"
	}
	keys := slices.Sorted(maps.Keys(x))
	for k := range y {
		if _, ok := x[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		if string(x[k]) != string(y[k]) {
			return fmt.Sprintf("%s: %s served, %s in the log", k, orAbsent(x[k]), orAbsent(y[k]))
		}
	}
	return ""
}

// orAbsent is a member's JSON, or "absent" for none.
func orAbsent(v json.RawMessage) string {
	if v == nil {
		return "absent"
	}
	return string(v)
}

// mustJSON is v as JSON, or nothing if it does not marshal.
func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// sameJSON reports whether a and b marshal alike.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// sameTime reports whether two optional times are both absent or equal.
func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// stamp writes a time for the report.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
