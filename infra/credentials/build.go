package credentials

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
)

// Issuer is an issuing organisation as its credentials name it. ID is its
// profile's URL (URLs.Organisation).
type Issuer struct {
	ID      string `json:"id"`
	OID     string `json:"oid"`
	Name    string `json:"name"`
	Country string `json:"country"`
}

// Holder is the participant a credential is issued to. ID is a URL naming
// them (URLs.Participant); Name is their name as the ledger knows it.
type Holder struct {
	ID   string
	Name string
}

// Host is the organisation that hosted a mobility; OID is "" when it has none.
type Host struct {
	OID     string
	Name    string
	Country string
}

// Outcome is a planned learning outcome and the result recorded for it:
// achieved, partially_achieved or not_achieved. EQFLevel is 1 to 8, or 0 for
// none; ESCOURI is an ESCO skill URI, or "".
type Outcome struct {
	ID          string
	Title       string
	Description string
	EQFLevel    int
	ESCOURI     string
	Result      string
}

// Mobility is the completed mobility a credential attests. URL is its URL
// (URLs.Mobility); Activity an Erasmus+ activity type such as job_shadowing;
// the dates are those of the activity as completed.
type Mobility struct {
	URL       string
	Activity  string
	Host      Host
	StartDate domain.Date
	EndDate   domain.Date
	Language  string
	ECTS      *float64
	Outcomes  []Outcome
}

// StatusRef is a credential's bit in a status list, for one purpose.
type StatusRef struct {
	Purpose statuslist.Purpose
	ListURL string
	Index   int
}

// Badge is everything a credential says. ID is its URL (URLs.Credential).
type Badge struct {
	ID         string
	Issuer     Issuer
	Holder     Holder
	Mobility   Mobility
	ValidFrom  time.Time
	ValidUntil *time.Time
	Status     []StatusRef
}

// BuildBadge returns the Open Badges 3.0 credential for b. Times are in UTC
// and whole seconds, as the JWT claims that repeat them.
func BuildBadge(b Badge) (OpenBadgeCredential, error) {
	if err := b.validate(); err != nil {
		return OpenBadgeCredential{}, fmt.Errorf("build credential %s: %w", b.ID, err)
	}
	c := OpenBadgeCredential{
		Context:           []string{ContextVC, ContextOB},
		ID:                b.ID,
		Type:              []string{"VerifiableCredential", "OpenBadgeCredential"},
		Issuer:            issuerProfile(b.Issuer),
		ValidFrom:         wholeSeconds(b.ValidFrom),
		Name:              "Erasmus+ mobility: " + achievementName(b.Mobility),
		CredentialSubject: subject(b),
		CredentialStatus:  statusEntries(b.Status),
	}
	if b.ValidUntil != nil {
		u := wholeSeconds(*b.ValidUntil)
		c.ValidUntil = &u
	}
	return c, nil
}

// wholeSeconds is t in UTC without its fraction of a second, as JWT times are.
func wholeSeconds(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func (b Badge) validate() error {
	switch {
	case b.ID == "" || b.Issuer.ID == "" || b.Holder.ID == "" || b.Mobility.URL == "":
		return errors.New("the credential, issuer, holder and mobility URLs are required")
	case b.Issuer.Name == "" || b.Issuer.OID == "" || b.Holder.Name == "" || b.Mobility.Host.Name == "":
		return errors.New("the issuer's name and OID, the holder's name and the host's name are required")
	case b.ValidFrom.IsZero():
		return errors.New("validFrom is required")
	case b.Mobility.StartDate.IsZero() || b.Mobility.EndDate.IsZero():
		return errors.New("the activity's dates are required")
	case len(b.Mobility.Outcomes) == 0:
		return errors.New("a credential attests at least one learning outcome")
	}
	for _, o := range b.Mobility.Outcomes {
		if err := o.validate(); err != nil {
			return err
		}
	}
	return validateStatus(b.Status)
}

func (o Outcome) validate() error {
	if o.ID == "" || o.Title == "" {
		return errors.New("every outcome needs an ID and a title")
	}
	if o.EQFLevel < 0 || o.EQFLevel > 8 {
		return fmt.Errorf("outcome %s: EQF level %d is not 1 to 8", o.ID, o.EQFLevel)
	}
	if resultLabel(o.Result) == "" {
		return fmt.Errorf("outcome %s: result %q is not achieved, partially_achieved or not_achieved", o.ID, o.Result)
	}
	return nil
}

func validateStatus(refs []StatusRef) error {
	for _, r := range refs {
		if _, err := statuslist.ParsePurpose(string(r.Purpose)); err != nil {
			return err
		}
		if r.ListURL == "" || r.Index < 0 {
			return fmt.Errorf("%s status entry: list URL and index required", r.Purpose)
		}
	}
	return nil
}

func statusEntries(refs []StatusRef) []StatusListEntry {
	out := make([]StatusListEntry, len(refs))
	for i, r := range refs {
		idx := strconv.Itoa(r.Index)
		out[i] = StatusListEntry{ID: r.ListURL + "#" + idx, Type: "BitstringStatusListEntry",
			StatusPurpose: string(r.Purpose), StatusListIndex: idx, StatusListCredential: r.ListURL}
	}
	return out
}

func issuerProfile(i Issuer) Profile {
	return Profile{ID: i.ID, Type: []string{"Profile"}, Name: i.Name, Address: address(i.Country),
		OtherIdentifier: oidIdentifier(i.OID)}
}

func hostProfile(h Host) Profile {
	return Profile{Type: []string{"Profile"}, Name: h.Name, Address: address(h.Country), OtherIdentifier: oidIdentifier(h.OID)}
}

func address(country string) *Address {
	if country == "" {
		return nil
	}
	return &Address{Type: []string{"Address"}, AddressCountryCode: isoCountry(country)}
}

// isoCountry is the ISO 3166-1 code of an Erasmus+ country code: Erasmus+
// writes EL for Greece, which ISO 3166-1 calls GR.
func isoCountry(code string) string {
	if code == "EL" {
		return "GR"
	}
	return code
}

func oidIdentifier(oid string) []IdentifierEntry {
	if oid == "" {
		return nil
	}
	return []IdentifierEntry{{Type: "IdentifierEntry", Identifier: oid, IdentifierType: "ext:ErasmusOID"}}
}

func subject(b Badge) AchievementSubject {
	m := b.Mobility
	return AchievementSubject{
		ID:   b.Holder.ID,
		Type: []string{"AchievementSubject"},
		Identifier: []IdentityObject{{Type: "IdentityObject", Hashed: false,
			IdentityHash: b.Holder.Name, IdentityType: "name"}},
		ActivityStartDate: m.StartDate.Time(),
		ActivityEndDate:   m.EndDate.Time(),
		CreditsEarned:     m.ECTS,
		Achievement:       achievement(b),
		Result:            results(m),
	}
}

func results(m Mobility) []Result {
	out := make([]Result, len(m.Outcomes))
	for i, o := range m.Outcomes {
		out[i] = Result{Type: []string{"Result"}, ResultDescription: outcomeURL(m, o), Value: resultLabel(o.Result)}
	}
	return out
}

func outcomeURL(m Mobility, o Outcome) string { return m.URL + "#outcome-" + o.ID }

// resultLabel is how a result reads in a credential, or "" for an unknown one.
func resultLabel(result string) string {
	switch result {
	case "achieved":
		return "Achieved"
	case "partially_achieved":
		return "Partially achieved"
	case "not_achieved":
		return "Not achieved"
	}
	return ""
}

// resultLabels are the values a result may take, in the order of resultLabel.
func resultLabels() []string { return []string{"Achieved", "Partially achieved", "Not achieved"} }

func achievementName(m Mobility) string {
	label, _ := activity(m.Activity)
	return label + " at " + m.Host.Name
}
