package credentials

import (
	"encoding/json"
	"errors"
	"math"
	"time"
)

// Claims are the members of a presented payload the checks read. A member
// that is absent leaves its field zero; one that is present but malformed also
// leaves it zero and is named in Malformed with what is wrong with it.
type Claims struct {
	Iss, Jti, Sub string
	Nbf, Exp      time.Time
	// ID, IssuerID, ValidFrom and ValidUntil are the credential's id,
	// issuer (its id, when it is an object), validFrom and validUntil.
	ID         string
	IssuerID   string
	ValidFrom  time.Time
	ValidUntil time.Time
	Status     []StatusClaim
	Malformed  map[string]string
}

// StatusClaim is one credentialStatus entry as presented.
type StatusClaim struct {
	Type                 string
	StatusPurpose        string
	StatusListIndex      string
	StatusListCredential string
}

// claimReader reads members of a payload, noting the malformed ones.
type claimReader struct {
	m         map[string]json.RawMessage
	malformed map[string]string
}

func readClaims(m map[string]json.RawMessage) Claims {
	r := claimReader{m: m, malformed: map[string]string{}}
	c := Claims{
		Iss: r.string("iss"), Jti: r.string("jti"), Sub: r.string("sub"),
		Nbf: r.numericDate("nbf"), Exp: r.numericDate("exp"),
		ID: r.string("id"), IssuerID: r.issuer(),
		ValidFrom: r.dateTime("validFrom"), ValidUntil: r.dateTime("validUntil"),
		Status: r.status(),
	}
	if len(r.malformed) > 0 {
		c.Malformed = r.malformed
	}
	return c
}

func (r claimReader) note(name string, err error) {
	if err != nil {
		r.malformed[name] = err.Error()
	}
}

func (r claimReader) string(name string) string {
	raw, ok := r.m[name]
	if !ok {
		return ""
	}
	s, err := readString(raw)
	r.note(name, err)
	return s
}

func (r claimReader) numericDate(name string) time.Time {
	raw, ok := r.m[name]
	if !ok {
		return time.Time{}
	}
	t, err := readNumericDate(raw)
	r.note(name, err)
	return t
}

func (r claimReader) dateTime(name string) time.Time {
	s := r.string(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		r.note(name, errors.New("not an RFC 3339 date-time"))
		return time.Time{}
	}
	return t
}

// issuer reads the issuer's id: the issuer is either a URL or an object
// with an id.
func (r claimReader) issuer() string {
	raw, ok := r.m["issuer"]
	if !ok {
		return ""
	}
	if s, err := readString(raw); err == nil {
		return s
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		r.note("issuer", errors.New("neither a URL nor an object with an id"))
	}
	return obj.ID
}

// status reads credentialStatus: one entry, or an array of them.
func (r claimReader) status() []StatusClaim {
	raw, ok := r.m["credentialStatus"]
	if !ok {
		return nil
	}
	type entry struct {
		Type                 string `json:"type"`
		StatusPurpose        string `json:"statusPurpose"`
		StatusListIndex      string `json:"statusListIndex"`
		StatusListCredential string `json:"statusListCredential"`
	}
	var list []entry
	if err := json.Unmarshal(raw, &list); err != nil {
		var one entry
		if err := json.Unmarshal(raw, &one); err != nil {
			r.note("credentialStatus", errors.New("not a status entry or a list of them"))
			return nil
		}
		list = []entry{one}
	}
	out := make([]StatusClaim, len(list))
	for i, e := range list {
		out[i] = StatusClaim(e)
	}
	return out
}

func readString(raw json.RawMessage) (string, error) {
	var s string
	if raw == nil || json.Unmarshal(raw, &s) != nil {
		return "", errors.New("not a string")
	}
	return s, nil
}

// maxNumericDate bounds NumericDates to what time.Time holds comfortably:
// the year 9999.
const maxNumericDate = 253402300799

// readNumericDate reads a JWT NumericDate: seconds since the epoch, possibly
// with a fraction.
func readNumericDate(raw json.RawMessage) (time.Time, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || math.IsNaN(f) || f < 0 || f > maxNumericDate {
		return time.Time{}, errors.New("not a NumericDate (seconds since 1970, up to the year 9999)")
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}
