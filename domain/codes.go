package domain

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The validators below check the identifiers and codes the ledger records. Each
// names the offending field in its error, which wraps ErrInvalid and is meant to
// be shown to the client as it is.

// ValidOID checks an Erasmus+ organisation ID: E followed by 8 digits, such as
// E10208051.
func ValidOID(field, s string) error {
	if s == "" {
		return Invalidf("%s is required", field)
	}
	if len(s) != 9 || s[0] != 'E' || !isDigits(s[1:]) {
		return Invalidf("%s %q is not an Erasmus+ organisation ID (E followed by 8 digits, such as E10208051)", field, s)
	}
	return nil
}

// ValidCountry checks an ISO 3166-1 alpha-2 country code in upper case. It also
// accepts EL (Greece) and XK (Kosovo), as the Erasmus+ tools write them.
func ValidCountry(field, s string) error {
	if s == "" {
		return Invalidf("%s is required", field)
	}
	if !isCode(s, iso3166Alpha2, 'A', 'Z') && !isCode(s, erasmusCountries, 'A', 'Z') {
		return Invalidf("%s %q is not an ISO 3166-1 alpha-2 country code (two upper-case letters, such as IT)", field, s)
	}
	return nil
}

// ValidLanguage checks an ISO 639-1 language code in lower case, such as it.
func ValidLanguage(field, s string) error {
	if s == "" {
		return Invalidf("%s is required", field)
	}
	if !isCode(s, iso639_1, 'a', 'z') {
		return Invalidf("%s %q is not an ISO 639-1 language code (two lower-case letters, such as it)", field, s)
	}
	return nil
}

// isCode reports whether s is one of the two-letter codes of list, which holds
// codes of letters from lo to hi separated by single spaces.
func isCode(s, list string, lo, hi byte) bool {
	if len(s) != 2 || s[0] < lo || s[0] > hi || s[1] < lo || s[1] > hi {
		return false
	}
	return strings.Contains(list, s)
}

// isDigits reports whether s is a non-empty string of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isUpper reports whether s is a non-empty string of ASCII upper-case letters.
func isUpper(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// ValidText checks a single line of free text: with surrounding white space
// trimmed (decisions store it trimmed), it must be valid UTF-8 without control
// characters, at most max runes long, and non-empty if required.
func ValidText(field, s string, max int, required bool) error {
	return validText(field, s, max, required, false)
}

// ValidProse is ValidText for text of several lines, such as a description or
// a note: it also allows line breaks and tabs.
func ValidProse(field, s string, max int, required bool) error {
	return validText(field, s, max, required, true)
}

// validText implements ValidText and, if multiline, ValidProse.
func validText(field, s string, max int, required, multiline bool) error {
	t := strings.TrimSpace(s)
	if t == "" {
		if required {
			return Invalidf("%s is required", field)
		}
		return nil
	}
	if !utf8.ValidString(t) {
		return Invalidf("%s is not valid UTF-8", field)
	}
	if n := utf8.RuneCountInString(t); n > max {
		return Invalidf("%s has %d characters; at most %d are allowed", field, n, max)
	}
	for _, r := range t {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return Invalidf("%s contains the control character %U", field, r)
		}
	}
	return nil
}

// maxIDLen is the longest identifier accepted, in bytes.
const maxIDLen = 128

// ValidID checks an opaque identifier of a participant, a mobility or a planned
// outcome: 1 to 128 of the characters RFC 3986 leaves unreserved (ASCII letters,
// digits, "-", ".", "_", "~"), so that it is safe in stream names and URL paths.
func ValidID(field, s string) error {
	if s == "" {
		return Invalidf("%s is required", field)
	}
	if len(s) > maxIDLen {
		return Invalidf("%s has %d characters; at most %d are allowed", field, len(s), maxIDLen)
	}
	for i := range len(s) {
		if !isUnreserved(s[i]) {
			return Invalidf("%s %q may hold only letters, digits, '-', '.', '_' and '~'", field, s)
		}
	}
	return nil
}

// isUnreserved reports whether c is an RFC 3986 unreserved character.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// exampleProjectCode shows the form of an Erasmus+ project code in messages.
const exampleProjectCode = "2024-1-IT02-KA121-SCH-000123456"

// ValidProjectCode checks an Erasmus+ project code such as
// 2024-1-IT02-KA121-SCH-000123456: call year (2014–2099), round (1–3), country
// and national agency number, key action, field (SCH, VET, ADU, HED or YOU) and
// a 9-digit serial number. The country part is two upper-case letters and is
// not checked against ISO 3166-1: codes of past calls use UK.
func ValidProjectCode(field, s string) error {
	if s == "" {
		return Invalidf("%s is required", field)
	}
	if _, problem := parseProjectCode(s); problem != "" {
		return Invalidf("%s %q is not an Erasmus+ project code (such as %s): %s", field, s, exampleProjectCode, problem)
	}
	return nil
}

// ValidAccreditation checks an Erasmus accreditation code: a project code of
// key action KA120, such as 2021-1-IT02-KA120-SCH-000012345.
func ValidAccreditation(field, s string) error {
	if s == "" {
		return Invalidf("%s is required", field)
	}
	action, problem := parseProjectCode(s)
	if problem == "" && action != "KA120" {
		problem = "the action of an accreditation is KA120, not " + action
	}
	if problem != "" {
		return Invalidf("%s %q is not an Erasmus accreditation code (such as 2021-1-IT02-KA120-SCH-000012345): %s", field, s, problem)
	}
	return nil
}

// parseProjectCode splits a project code and returns its key action, or a
// sentence saying what is wrong with it.
func parseProjectCode(s string) (action, problem string) {
	parts := strings.Split(s, "-")
	if len(parts) != 6 {
		return "", "it must have six parts separated by '-'"
	}
	year, round, agency, action, field, serial := parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]
	switch {
	case !isYear(year):
		return "", "the year must be 2014 to 2099"
	case len(round) != 1 || round < "1" || round > "3":
		return "", "the round must be 1, 2 or 3"
	case len(agency) != 4 || !isUpper(agency[:2]) || !isDigits(agency[2:]):
		return "", "the national agency must be a country and two digits, such as IT02"
	case len(action) != 5 || action[:2] != "KA" || !isDigits(action[2:]):
		return "", "the key action must be KA and three digits, such as KA121"
	case !isField(field):
		return "", "the field must be SCH, VET, ADU, HED or YOU"
	case len(serial) != 9 || !isDigits(serial):
		return "", "the serial number must have 9 digits"
	}
	return action, ""
}

// isYear reports whether s is a call year from 2014, the first of Erasmus+, to 2099.
func isYear(s string) bool {
	if len(s) != 4 || !isDigits(s) {
		return false
	}
	y, _ := strconv.Atoi(s)
	return 2014 <= y && y <= 2099
}

// isField reports whether s is the code of an Erasmus+ field: school
// education (which includes ECEC), VET, adult education, higher education, youth.
func isField(s string) bool {
	switch s {
	case "SCH", "VET", "ADU", "HED", "YOU":
		return true
	}
	return false
}
