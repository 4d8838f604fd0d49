package credentials

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/erasmus-ledger/ledger/domain"
)

// ErrNotJWT is the kind of error ParsePresented returns for input that is not
// a compact JWT at all. It wraps domain.ErrInvalid: such input is a bad
// request, while a well-formed token that fails its checks is a verification
// result.
var ErrNotJWT = fmt.Errorf("%w: not a compact JWT", domain.ErrInvalid)

// MaxTokenSize is the longest token ParsePresented reads, in bytes.
const MaxTokenSize = 1 << 20

// Presented is a compact JWT as presented for verification, split and
// decoded but not yet checked.
type Presented struct {
	// Token is the compact serialization, without surrounding white space.
	Token string
	// Header holds the JOSE header's members the checks use.
	Header Header
	// Payload is the decoded payload, a JSON object.
	Payload json.RawMessage
	// Claims are the payload's members the checks use.
	Claims Claims

	signingInput string
	signature    []byte
	tokenSHA256  string // TokenSHA256(Token), which the ledger check compares
}

// Header is the part of a JOSE header the verifier reads. Members that are
// absent, or not strings, read as "".
type Header struct {
	Alg  string
	Kid  string
	Typ  string
	Crit bool // a crit member is present
}

// ParsePresented splits and decodes a compact JWT: three base64url parts
// separated by dots, the first two JSON objects. Anything else fails with an
// error wrapping ErrNotJWT (and domain.ErrInvalid). The payload's members are
// read leniently: a malformed one is noted in Claims.Malformed for the checks
// to report, since a well-formed token with bad claims is a credential that
// fails verification, not a bad request.
func ParsePresented(token string) (Presented, error) {
	token = strings.TrimSpace(token)
	if len(token) > MaxTokenSize {
		return Presented{}, notJWT("it is longer than %d bytes", MaxTokenSize)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Presented{}, notJWT("a compact JWT has three parts separated by dots, this has %d", len(parts))
	}
	header, err := decodeObject("header", parts[0])
	if err != nil {
		return Presented{}, err
	}
	payload, err := decodeObject("payload", parts[1])
	if err != nil {
		return Presented{}, err
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	if err != nil {
		return Presented{}, notJWT("the signature is not unpadded base64url")
	}
	p := Presented{Token: token, Header: readHeader(header.members), Payload: json.RawMessage(payload.raw),
		Claims: readClaims(payload.members), signingInput: parts[0] + "." + parts[1], signature: sig,
		tokenSHA256: TokenSHA256(token)}
	return p, nil
}

func notJWT(format string, a ...any) error {
	return &domain.Error{Kind: ErrNotJWT, Msg: "the credential is not a compact JWT: " + fmt.Sprintf(format, a...)}
}

// object is a decoded JSON object: its bytes and its members.
type object struct {
	raw     []byte
	members map[string]json.RawMessage
}

func decodeObject(part, segment string) (object, error) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(segment)
	if err != nil {
		return object{}, notJWT("the %s is not unpadded base64url", part)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return object{}, notJWT("the %s is not a JSON object", part)
	}
	return object{raw: raw, members: members}, nil
}

func readHeader(m map[string]json.RawMessage) Header {
	alg, _ := readString(m["alg"])
	kid, _ := readString(m["kid"])
	typ, _ := readString(m["typ"])
	_, crit := m["crit"]
	return Header{Alg: alg, Kid: kid, Typ: typ, Crit: crit}
}

// Credential decodes the payload as an Open Badges credential, for display.
// It fails if the payload does not have that shape.
func (p Presented) Credential() (OpenBadgeCredential, error) {
	var c OpenBadgeCredential
	if err := json.Unmarshal(p.Payload, &c); err != nil {
		return OpenBadgeCredential{}, domain.Invalidf("the payload is not an Open Badges credential")
	}
	return c, nil
}
