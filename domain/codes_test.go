package domain

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// validator is the shape shared by the code validators.
type validator func(field, s string) error

func TestCodes(t *testing.T) {
	tests := []struct {
		name  string
		valid validator
		good  []string
		bad   []string
	}{
		{"oid", ValidOID,
			[]string{"E10208051", "E00000000", "E99999999"},
			[]string{"", "E1020805", "E102080511", "e10208051", "F10208051", "E1020805A", " E10208051", "949123456", "E１0208051"}},
		{"country", ValidCountry,
			[]string{"IT", "DE", "FR", "GR", "EL", "XK", "GB", "AX", "ZW", "SS", "BQ"},
			[]string{"", "it", "It", "ITA", "I", "UK", "EU", "ZZ", "AA", "XX", "YU", "AN", " IT", "T "}},
		{"language", ValidLanguage,
			[]string{"it", "de", "el", "en", "ga", "mt", "zu", "aa"},
			[]string{"", "IT", "En", "ita", "e", "xx", "gr", "jp", "sh", " e", "i "}},
		{"project code", ValidProjectCode,
			[]string{"2024-1-IT02-KA121-SCH-000123456", "2014-3-DE03-KA101-ADU-000000001", "2099-2-UK01-KA122-VET-999999999",
				"2021-1-EL01-KA120-HED-000012345", "2023-1-FR01-KA153-YOU-000111222"},
			[]string{"", "2013-1-IT02-KA121-SCH-000123456", "2100-1-IT02-KA121-SCH-000123456", "2024-0-IT02-KA121-SCH-000123456",
				"2024-4-IT02-KA121-SCH-000123456", "2024-1-it02-KA121-SCH-000123456", "2024-1-IT2-KA121-SCH-000123456",
				"2024-1-IT02-KB121-SCH-000123456", "2024-1-IT02-KA12-SCH-000123456", "2024-1-IT02-KA121-ECE-000123456",
				"2024-1-IT02-KA121-SCH-00012345", "2024-1-IT02-KA121-SCH-0001234567", "2024-1-IT02-KA121-SCH",
				"2024-1-IT02-KA121-SCH-000123456-1", "2024-1-IT02-KA121-sch-000123456", "24-1-IT02-KA121-SCH-000123456",
				"2024-1-IT02-KA121-SCH-00012345X", "2024_1_IT02_KA121_SCH_000123456"}},
		{"accreditation", ValidAccreditation,
			[]string{"2021-1-IT02-KA120-SCH-000012345", "2020-1-DE03-KA120-VET-000000001"},
			[]string{"", "2024-1-IT02-KA121-SCH-000123456", "2021-1-IT02-KA122-SCH-000012345", "2021-1-IT02-KA120-SCH-12345",
				"2021-1-IT02-KA12O-SCH-000012345", "2012-1-IT02-KA120-SCH-000012345"}},
		{"id", ValidID,
			[]string{"a", "01J9ZQ5V6K4Y3M8N2P7R0S1T2U", "123e4567-e89b-12d3-a456-426614174000", "lo_1.x~2", strings.Repeat("a", 128)},
			[]string{"", " a", "a b", "a/b", "a#1", "é", strings.Repeat("a", 129), "a\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.good {
				if err := tt.valid("f", s); err != nil {
					t.Errorf("%q: unexpected error %v", s, err)
				}
			}
			for _, s := range tt.bad {
				checkInvalid(t, tt.valid("the_field", s), s)
			}
		})
	}
}

// checkInvalid fails unless err is an invalid-input error naming the field.
func checkInvalid(t *testing.T, err error, input string) {
	t.Helper()
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("%q: got error %v, want one wrapping ErrInvalid", input, err)
		return
	}
	if !strings.HasPrefix(err.Error(), "the_field ") {
		t.Errorf("%q: message %q does not start with the field name", input, err)
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name      string
		s         string
		max       int
		required  bool
		textOK    bool
		proseOK   bool
		wantInMsg string
	}{
		{"plain", "Anna Rossi", 10, true, true, true, ""},
		{"empty optional", "", 10, false, true, true, ""},
		{"blank optional", "   ", 10, false, true, true, ""},
		{"empty required", "", 10, true, false, false, "is required"},
		{"blank required", " \t\n ", 10, true, false, false, "is required"},
		{"exactly max runes", "Ångström-è", 10, true, true, true, ""},
		{"max counts trimmed text", "  Ångström-è  ", 10, true, true, true, ""},
		{"one rune too many", "Ångström-èé", 10, true, false, false, "has 11 characters; at most 10"},
		{"line break", "first\nsecond", 20, true, false, true, "control character U+000A"},
		{"windows line break and tab", "first\r\n\tsecond", 20, true, false, true, "control character U+000D"},
		{"escape", "bell\x1b[31m", 20, true, false, false, "control character U+001B"},
		{"nul", "a\x00b", 20, true, false, false, "control character U+0000"},
		{"C1 control", "a\u0085b", 20, true, false, false, "control character U+0085"},
		{"invalid UTF-8", "a\xffb", 20, true, false, false, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkText(t, "ValidText", ValidText("the_field", tt.s, tt.max, tt.required), tt.textOK, tt.wantInMsg)
			checkText(t, "ValidProse", ValidProse("the_field", tt.s, tt.max, tt.required), tt.proseOK, tt.wantInMsg)
		})
	}
}

func checkText(t *testing.T, fn string, err error, ok bool, wantInMsg string) {
	t.Helper()
	switch {
	case ok && err != nil:
		t.Errorf("%s: unexpected error %v", fn, err)
	case !ok && !errors.Is(err, ErrInvalid):
		t.Errorf("%s: got %v, want an error wrapping ErrInvalid", fn, err)
	case !ok && !strings.Contains(err.Error(), wantInMsg):
		t.Errorf("%s: message %q does not contain %q", fn, err, wantInMsg)
	}
}

// TestCodeLists checks the form the look-up in isCode relies on: sorted,
// unique two-letter codes of the right case separated by single spaces.
func TestCodeLists(t *testing.T) {
	tests := []struct {
		name   string
		list   string
		lo, hi byte
		count  int
	}{
		{"ISO 3166-1", iso3166Alpha2, 'A', 'Z', 249},
		{"Erasmus+ additions", erasmusCountries, 'A', 'Z', 2},
		{"ISO 639-1", iso639_1, 'a', 'z', 184},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codes := strings.Split(tt.list, " ")
			if len(codes) != tt.count {
				t.Errorf("%d codes, want %d", len(codes), tt.count)
			}
			if !slices.IsSorted(codes) || len(slices.Compact(slices.Clone(codes))) != len(codes) {
				t.Errorf("codes are not sorted and unique")
			}
			for _, c := range codes {
				if !isCode(c, tt.list, tt.lo, tt.hi) {
					t.Errorf("%q is not a two-letter code of the list's case", c)
				}
			}
		})
	}
}
