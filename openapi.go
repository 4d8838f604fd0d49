// Package ledger holds what belongs to the repository as a whole: the HTTP
// contract, embedded so that the server can serve it.
package ledger

import _ "embed"

// OpenAPI is openapi.yaml, the HTTP contract (see CONTRACT.md).
//
//go:embed openapi.yaml
var OpenAPI []byte
