package credentials

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/erasmus-ledger/ledger/domain"
)

// URLs makes and reads the absolute URLs the ledger writes into credentials,
// all under its public base URL:
//
//	<base>/v1/keys/<key id>              a signing key's JWK, and its kid
//	<base>/v1/status-lists/<list id>     a status list credential
//	<base>/v1/credentials/<id>           a credential's id and jti
//	<base>/v1/organisations/<oid>        an issuer's profile id and iss
//	<base>/v1/participants/<id>          a holder's id and sub
//	<base>/v1/mobilities/<id>            the mobility an achievement describes
//	<base>/verify/<id>                   the page a person verifies a credential on
type URLs struct {
	base string
}

// NewURLs returns the URLs under base, an absolute http or https URL; a
// trailing slash is dropped.
func NewURLs(base string) (URLs, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return URLs{}, fmt.Errorf("public URL %q is not an absolute http(s) URL without query or fragment", base)
	}
	return URLs{base: strings.TrimSuffix(base, "/")}, nil
}

// The path prefixes under the base URL.
const (
	keysPath          = "/v1/keys/"
	statusListsPath   = "/v1/status-lists/"
	credentialsPath   = "/v1/credentials/"
	organisationsPath = "/v1/organisations/"
	participantsPath  = "/v1/participants/"
	mobilitiesPath    = "/v1/mobilities/"
	verifyPath        = "/verify/"
)

// Base is the public base URL, without a trailing slash.
func (u URLs) Base() string { return u.base }

// Key is the kid of the signing key with ID id: the URL of its JWK.
func (u URLs) Key(id string) string { return u.base + keysPath + id }

// KeyID returns the key ID a kid names, if it is one of the ledger's.
func (u URLs) KeyID(kid string) (string, bool) { return u.id(kid, keysPath) }

// StatusList is the URL of the status list credential with ID id.
func (u URLs) StatusList(id string) string { return u.base + statusListsPath + id }

// StatusListID returns the list ID a status list URL names, if it is one of
// the ledger's.
func (u URLs) StatusListID(listURL string) (string, bool) { return u.id(listURL, statusListsPath) }

// Credential is the id (and jti) of the credential with ID id.
func (u URLs) Credential(id string) string { return u.base + credentialsPath + id }

// CredentialID returns the credential ID a credential id URL names, if it is
// one of the ledger's.
func (u URLs) CredentialID(uri string) (string, bool) { return u.id(uri, credentialsPath) }

// Organisation is the issuer profile id of the organisation with OID oid.
func (u URLs) Organisation(oid string) string { return u.base + organisationsPath + oid }

// Participant is the subject id of the participant with ID id.
func (u URLs) Participant(id string) string { return u.base + participantsPath + id }

// Mobility is the URL of the mobility with ID id.
func (u URLs) Mobility(id string) string { return u.base + mobilitiesPath + id }

// Verify is the URL of the page that verifies the credential with ID id.
func (u URLs) Verify(id string) string { return u.base + verifyPath + id }

// id returns the ID that follows base+prefix in s, if s is such a URL and the
// ID a valid one.
func (u URLs) id(s, prefix string) (string, bool) {
	id, ok := strings.CutPrefix(s, u.base+prefix)
	if !ok || domain.ValidID("id", id) != nil {
		return "", false
	}
	return id, true
}
