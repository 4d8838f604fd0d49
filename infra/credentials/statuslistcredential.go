package credentials

import (
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/erasmus-ledger/ledger/infra/credentials/statuslist"
)

// BitstringStatusListCredential is a status list as a verifiable credential
// (W3C Bitstring Status List v1.0), signed by the issuer of the credentials
// whose bits it holds.
type BitstringStatusListCredential struct {
	Context           []string            `json:"@context"`
	ID                string              `json:"id"`
	Type              []string            `json:"type"`
	Issuer            string              `json:"issuer"`
	ValidFrom         time.Time           `json:"validFrom"`
	CredentialSubject BitstringStatusList `json:"credentialSubject"`
}

// BitstringStatusList is the list itself: EncodedList is the multibase
// base64url of the GZIP-compressed bitstring.
type BitstringStatusList struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	StatusPurpose string `json:"statusPurpose"`
	EncodedList   string `json:"encodedList"`
}

// StatusList is a status list as it stands at ValidFrom: its URL
// (URLs.StatusList), its issuer's profile URL, its purpose and size in bits,
// and the indexes of its set bits.
type StatusList struct {
	URL       string
	IssuerID  string
	Purpose   statuslist.Purpose
	Size      int
	Set       []int
	ValidFrom time.Time
}

// BuildStatusList returns the status list credential for l.
func BuildStatusList(l StatusList) (BitstringStatusListCredential, error) {
	if _, err := statuslist.ParsePurpose(string(l.Purpose)); err != nil {
		return BitstringStatusListCredential{}, err
	}
	bits, err := statuslist.New(l.Size)
	if err != nil {
		return BitstringStatusListCredential{}, fmt.Errorf("build status list %s: %w", l.URL, err)
	}
	for _, i := range l.Set {
		if err := bits.Set(i); err != nil {
			return BitstringStatusListCredential{}, fmt.Errorf("build status list %s: %w", l.URL, err)
		}
	}
	encoded, err := bits.Encode()
	if err != nil {
		return BitstringStatusListCredential{}, fmt.Errorf("build status list %s: %w", l.URL, err)
	}
	return BitstringStatusListCredential{
		Context:   []string{ContextVC},
		ID:        l.URL,
		Type:      []string{"VerifiableCredential", "BitstringStatusListCredential"},
		Issuer:    l.IssuerID,
		ValidFrom: wholeSeconds(l.ValidFrom),
		CredentialSubject: BitstringStatusList{ID: l.URL + "#list", Type: "BitstringStatusList",
			StatusPurpose: string(l.Purpose), EncodedList: encoded},
	}, nil
}

// statusListClaims is a status list VC-JWT payload.
type statusListClaims struct {
	BitstringStatusListCredential
	jwt.RegisteredClaims
}

// SignStatusList returns c as a compact VC-JWT, with iss = issuer, jti = id,
// sub = credentialSubject.id and nbf = validFrom.
func (s Signer) SignStatusList(c BitstringStatusListCredential) (string, error) {
	return s.sign(statusListClaims{BitstringStatusListCredential: c, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: c.Issuer, ID: c.ID, Subject: c.CredentialSubject.ID, NotBefore: jwt.NewNumericDate(c.ValidFrom)}})
}
