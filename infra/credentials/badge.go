package credentials

import "time"

// The JSON-LD contexts of an Open Badges 3.0 credential: the W3C Verifiable
// Credentials Data Model 2.0, then Open Badges 3.0.
const (
	ContextVC = "https://www.w3.org/ns/credentials/v2"
	ContextOB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
)

// OpenBadgeCredential is an Open Badges 3.0 credential (an
// AchievementCredential) as the ledger issues it: one mobility's learning
// outcomes with their European Learning Model detail.
type OpenBadgeCredential struct {
	Context           []string           `json:"@context"`
	ID                string             `json:"id"`
	Type              []string           `json:"type"`
	Issuer            Profile            `json:"issuer"`
	ValidFrom         time.Time          `json:"validFrom"`
	ValidUntil        *time.Time         `json:"validUntil,omitempty"`
	Name              string             `json:"name"`
	CredentialSubject AchievementSubject `json:"credentialSubject"`
	CredentialStatus  []StatusListEntry  `json:"credentialStatus"`
}

// Profile is an organisation: the issuer, or a mobility's host.
type Profile struct {
	ID              string            `json:"id,omitempty"`
	Type            []string          `json:"type"`
	Name            string            `json:"name"`
	Address         *Address          `json:"address,omitempty"`
	OtherIdentifier []IdentifierEntry `json:"otherIdentifier,omitempty"`
}

// Address is where an organisation is; the ledger knows its country only.
type Address struct {
	Type               []string `json:"type"`
	AddressCountryCode string   `json:"addressCountryCode"`
}

// IdentifierEntry is an identifier of an organisation in another system,
// such as its Erasmus+ OID.
type IdentifierEntry struct {
	Type           string `json:"type"`
	Identifier     string `json:"identifier"`
	IdentifierType string `json:"identifierType"`
}

// AchievementSubject is the holder and what they achieved. The holder's name
// is an IdentityObject of type name, in clear.
type AchievementSubject struct {
	ID                string           `json:"id"`
	Type              []string         `json:"type"`
	Identifier        []IdentityObject `json:"identifier"`
	ActivityStartDate time.Time        `json:"activityStartDate"`
	ActivityEndDate   time.Time        `json:"activityEndDate"`
	CreditsEarned     *float64         `json:"creditsEarned,omitempty"`
	Achievement       Achievement      `json:"achievement"`
	Result            []Result         `json:"result"`
}

// IdentityObject identifies the holder; IdentityHash holds the value itself
// when Hashed is false.
type IdentityObject struct {
	Type         string `json:"type"`
	Hashed       bool   `json:"hashed"`
	IdentityHash string `json:"identityHash"`
	IdentityType string `json:"identityType"`
}

// Achievement is the mobility as a learning achievement. Host is an extension
// of Open Badges: the organisation that hosted the mobility.
type Achievement struct {
	ID                string              `json:"id"`
	Type              []string            `json:"type"`
	AchievementType   string              `json:"achievementType"`
	Name              string              `json:"name"`
	Description       string              `json:"description"`
	Criteria          Criteria            `json:"criteria"`
	Alignment         []Alignment         `json:"alignment"`
	ResultDescription []ResultDescription `json:"resultDescription"`
	Tag               []string            `json:"tag"`
	InLanguage        string              `json:"inLanguage,omitempty"`
	Host              Profile             `json:"host"`
}

// Criteria says in prose how the achievement was earned.
type Criteria struct {
	Narrative string `json:"narrative"`
}

// Alignment ties an achievement or outcome to a framework: an EQF level, an
// ESCO skill, an ELM learning activity type.
type Alignment struct {
	Type            []string `json:"type"`
	TargetName      string   `json:"targetName"`
	TargetURL       string   `json:"targetUrl"`
	TargetFramework string   `json:"targetFramework"`
	TargetCode      string   `json:"targetCode,omitempty"`
	TargetType      string   `json:"targetType"`
}

// ResultDescription is one planned learning outcome and the values its result
// may take.
type ResultDescription struct {
	ID           string      `json:"id"`
	Type         []string    `json:"type"`
	Name         string      `json:"name"`
	Description  string      `json:"description,omitempty"`
	ResultType   string      `json:"resultType"`
	AllowedValue []string    `json:"allowedValue"`
	Alignment    []Alignment `json:"alignment,omitempty"`
}

// Result is the holder's result on one learning outcome.
type Result struct {
	Type              []string `json:"type"`
	ResultDescription string   `json:"resultDescription"`
	Value             string   `json:"value"`
}

// StatusListEntry is a credential's bit in a Bitstring Status List.
// StatusListIndex is a decimal string, as the specification has it.
type StatusListEntry struct {
	ID                   string `json:"id"`
	Type                 string `json:"type"`
	StatusPurpose        string `json:"statusPurpose"`
	StatusListIndex      string `json:"statusListIndex"`
	StatusListCredential string `json:"statusListCredential"`
}
