package credentials

import (
	"slices"
	"strconv"

	"github.com/erasmus-ledger/ledger/domain"
)

// AchievementSummary is what a credential attests, in brief, for people and
// for verifiers' JSON: the mobility, where and when it took place, the EQF
// levels, the credits (ECTS) and hours of learning, and each learning outcome
// with its result (achieved, partially_achieved or not_achieved). Hours are
// the ledger's record only: credentials do not carry them.
type AchievementSummary struct {
	Name      string           `json:"name"`
	Activity  string           `json:"activity,omitempty"`
	Host      HostSummary      `json:"host"`
	StartDate domain.Date      `json:"start_date"`
	EndDate   domain.Date      `json:"end_date"`
	EQFLevels []int            `json:"eqf_levels"`
	Credits   *float64         `json:"credits,omitempty"`
	Hours     *float64         `json:"hours,omitempty"`
	Outcomes  []OutcomeSummary `json:"outcomes"`
}

// HostSummary is the organisation that hosted a mobility.
type HostSummary struct {
	OID     string `json:"oid,omitempty"`
	Name    string `json:"name"`
	Country string `json:"country,omitempty"`
}

// OutcomeSummary is one learning outcome and its result.
type OutcomeSummary struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	EQFLevel    int    `json:"eqf_level,omitempty"`
	ESCOURI     string `json:"esco_uri,omitempty"`
	Result      string `json:"result"`
}

// ResultLabel is how a result (achieved, partially_achieved, not_achieved)
// reads for people, or "" for an unknown one.
func ResultLabel(result string) string { return resultLabel(result) }

// summarise is the summary of mobility m.
func summarise(m Mobility) AchievementSummary {
	label, _ := activity(m.Activity)
	s := AchievementSummary{Name: achievementName(m), Activity: label,
		Host:      HostSummary{OID: m.Host.OID, Name: m.Host.Name, Country: m.Host.Country},
		StartDate: m.StartDate, EndDate: m.EndDate, Credits: m.ECTS, EQFLevels: []int{}}
	for _, o := range m.Outcomes {
		s.Outcomes = append(s.Outcomes, OutcomeSummary{Title: o.Title, Description: o.Description,
			EQFLevel: o.EQFLevel, ESCOURI: o.ESCOURI, Result: o.Result})
		if o.EQFLevel > 0 && !slices.Contains(s.EQFLevels, o.EQFLevel) {
			s.EQFLevels = append(s.EQFLevels, o.EQFLevel)
		}
	}
	slices.Sort(s.EQFLevels)
	return s
}

// summariseBadge is the summary of what credential c says it attests.
func summariseBadge(c OpenBadgeCredential) AchievementSummary {
	subj, a := c.CredentialSubject, c.CredentialSubject.Achievement
	s := AchievementSummary{Name: a.Name, Host: hostSummary(a.Host), StartDate: domain.DateOf(subj.ActivityStartDate),
		EndDate: domain.DateOf(subj.ActivityEndDate), Credits: subj.CreditsEarned, EQFLevels: []int{}}
	for _, al := range a.Alignment {
		if l, err := strconv.Atoi(al.TargetCode); err == nil && al.TargetType == "ext:EQFLevel" {
			s.EQFLevels = append(s.EQFLevels, l)
		}
	}
	results := map[string]string{}
	for _, r := range subj.Result {
		results[r.ResultDescription] = resultCode(r.Value)
	}
	for _, rd := range a.ResultDescription {
		o := OutcomeSummary{Title: rd.Name, Description: rd.Description, Result: results[rd.ID]}
		for _, al := range rd.Alignment {
			if l, err := strconv.Atoi(al.TargetCode); err == nil && al.TargetType == "ext:EQFLevel" {
				o.EQFLevel = l
			} else if al.TargetFramework == frameworkESCO {
				o.ESCOURI = al.TargetURL
			}
		}
		s.Outcomes = append(s.Outcomes, o)
	}
	return s
}

func hostSummary(p Profile) HostSummary {
	h := HostSummary{Name: p.Name}
	if p.Address != nil {
		h.Country = p.Address.AddressCountryCode
	}
	for _, id := range p.OtherIdentifier {
		if id.IdentifierType == "ext:ErasmusOID" {
			h.OID = id.Identifier
		}
	}
	return h
}

// resultCode is the result a label of resultLabel stands for, or "".
func resultCode(label string) string {
	for _, code := range []string{"achieved", "partially_achieved", "not_achieved"} {
		if resultLabel(code) == label {
			return code
		}
	}
	return ""
}

// Claimed is what a presented credential says, for display once its
// signature holds: its ID, name, holder and achievement.
type Claimed struct {
	ID          string             `json:"id"`
	Name        string             `json:"name"`
	Holder      HolderName         `json:"holder"`
	Achievement AchievementSummary `json:"achievement"`
}

// HolderName is a holder as a verification names them.
type HolderName struct {
	Name   string `json:"name"`
	Erased bool   `json:"erased,omitempty"`
}

// Claimed returns what p says, and false if its payload does not have the
// shape of an Open Badges credential.
func (p Presented) Claimed() (Claimed, bool) {
	c, err := p.Credential()
	if err != nil {
		return Claimed{}, false
	}
	var holder string
	for _, id := range c.CredentialSubject.Identifier {
		if id.IdentityType == "name" && !id.Hashed {
			holder = id.IdentityHash
		}
	}
	return Claimed{ID: c.ID, Name: c.Name, Holder: HolderName{Name: holder}, Achievement: summariseBadge(c)}, true
}
