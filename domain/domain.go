// Package domain holds the recognition ledger's model: the vocabulary shared by
// every aggregate (errors, actors, events, dates, personal data). Aggregates live
// in sub-packages; each decides on commands without doing I/O.
//
// domain imports the standard library only; deps_test.go enforces it.
package domain

import (
	"errors"
	"fmt"
	"slices"
)

// The error kinds. Every error a decision returns wraps exactly one of them, so
// adapters map errors to protocol codes with errors.Is and nothing else.
var (
	ErrInvalid         = errors.New("invalid")
	ErrNotFound        = errors.New("not found")
	ErrConflict        = errors.New("conflict")
	ErrForbidden       = errors.New("forbidden")
	ErrUnauthenticated = errors.New("unauthenticated")
)

// Error is a domain error: a kind and a message meant for the caller. Its
// message is safe to show to clients.
type Error struct {
	Kind error
	Msg  string
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Kind }

func newError(kind error, format string, a []any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, a...)}
}

// Invalidf reports input that can never succeed as given.
func Invalidf(format string, a ...any) error { return newError(ErrInvalid, format, a) }

// NotFoundf reports a missing stream or entity.
func NotFoundf(format string, a ...any) error { return newError(ErrNotFound, format, a) }

// Conflictf reports a command that contradicts the current state.
func Conflictf(format string, a ...any) error { return newError(ErrConflict, format, a) }

// Forbiddenf reports an authenticated actor acting beyond its rights.
func Forbiddenf(format string, a ...any) error { return newError(ErrForbidden, format, a) }

// Unauthenticatedf reports a missing or unacceptable identity.
func Unauthenticatedf(format string, a ...any) error {
	return newError(ErrUnauthenticated, format, a)
}

// Role is what an actor may do.
type Role string

// The roles of CONTRACT.md.
const (
	RoleAdmin   Role = "admin"
	RoleIssuer  Role = "issuer"
	RoleStaff   Role = "staff"
	RoleAuditor Role = "auditor"
)

// Actor is the authenticated caller of a command. Subject is the token's sub; for
// staff it is their participant ID. Org is the Erasmus+ OID an issuer acts for.
type Actor struct {
	Subject string
	Roles   []Role
	Org     string
}

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }

// ActsFor reports whether the actor may act on behalf of organisation oid:
// admins for every organisation, issuers for their own.
func (a Actor) ActsFor(oid string) bool {
	return a.Has(RoleAdmin) || (a.Has(RoleIssuer) && a.Org != "" && a.Org == oid)
}

// Event is a fact recorded in the log. EventType is its stable stored name
// (such as "mobility.completed"); it never derives from the Go type name and a
// shipped name never changes meaning.
type Event interface {
	EventType() string
}

// PersonalData is what identifies a participant. The log never holds it in
// clear: events carrying it are sealed with the participant's own key, and once
// that key is destroyed the data reads as Erased.
type PersonalData struct {
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Email      string `json:"email,omitempty"`
	BirthDate  string `json:"birth_date,omitempty"`
	Erased     bool   `json:"-"`
}

// FullName is the name as printed on transcripts and credentials.
func (p PersonalData) FullName() string {
	if p.Erased {
		return "(erased)"
	}
	return p.GivenName + " " + p.FamilyName
}

// Personal is implemented by events that carry a participant's personal data.
// Encoders store Personal() sealed under the key of PersonalSubject() and drop it
// from the clear payload; decoders restore it with WithPersonal.
type Personal interface {
	Event
	PersonalSubject() string
	Personal() PersonalData
	WithPersonal(PersonalData) Event
}
