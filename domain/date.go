package domain

import (
	"encoding/json"
	"time"
)

// Date is a civil date (ISO 8601 "2006-01-02") with no time zone, as used for
// mobility periods and birth dates.
type Date struct{ t time.Time }

// dateLayout is ISO 8601's calendar date.
const dateLayout = "2006-01-02"

// ParseDate reads an ISO 8601 calendar date.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, Invalidf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// MustDate is ParseDate for literals in tests and demo data; it panics on a bad literal.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf is the civil date of t in UTC.
func DateOf(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// IsZero reports whether d was never set.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String is the ISO 8601 form, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(dateLayout)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// DaysThrough is the number of calendar days from d to e, both included:
// a mobility from Monday to Friday lasts 5 days.
func (d Date) DaysThrough(e Date) int { return int(e.t.Sub(d.t).Hours()/24) + 1 }

// Time is midnight UTC at the start of d.
func (d Date) Time() time.Time { return d.t }

// MarshalJSON writes the ISO 8601 string, or null for the zero date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads an ISO 8601 string or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return Invalidf("a date must be a string of the form YYYY-MM-DD")
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}
