package spec

import "github.com/erasmus-ledger/ledger/domain"

// The actors of the aggregates' tests. Issuer is on the staff of the
// organisation E10208051, the one the tests' participants belong to;
// OtherIssuer is on the staff of another, E20000002. Staff is participant p1.
var (
	Admin       = domain.Actor{Subject: "root", Roles: []domain.Role{domain.RoleAdmin}}
	Issuer      = domain.Actor{Subject: "i1", Roles: []domain.Role{domain.RoleIssuer}, Org: "E10208051"}
	OtherIssuer = domain.Actor{Subject: "i2", Roles: []domain.Role{domain.RoleIssuer}, Org: "E20000002"}
	Staff       = domain.Actor{Subject: "p1", Roles: []domain.Role{domain.RoleStaff}}
	Auditor     = domain.Actor{Subject: "a1", Roles: []domain.Role{domain.RoleAuditor}}
)
