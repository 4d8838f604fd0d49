// Package credentials issues and verifies the ledger's credentials: Open
// Badges 3.0 credentials signed as VC-JWTs (ES256) with the issuing
// organisation's own key, the keys themselves, and the Bitstring Status List
// credentials that carry revocation and suspension.
//
// Service is what the running ledger uses; it records through the command
// service and reads the log, so everything it answers is derived from events:
//
//   - Creating a signing key (Service.CreateKey): GenerateKey, PublicJWK for
//     the credential.KeyRegistered event, KeyStore.Put for the private key
//     (before the event is appended, so that a registered key can always
//     sign). The key's kid is URLs.Key(keyID), where Publish serves its JWK.
//     The newest unrevoked key of an organisation signs (rotation); every
//     key ever registered stays published.
//   - Issuing (Service.Issue): credential.Credential.MayIssue;
//     statuslist.Allocator.Allocate for the revocation and the suspension
//     bit; BuildBadge; Signer.SignCredential with the organisation's signing
//     key; TokenSHA256 of the token for the credential.Issued event. A
//     mobility's credentials have deterministic IDs (CredentialID), so that
//     two concurrent issuances append to the same new stream at version 0
//     and the log's unique (stream, version) constraint refuses one of them:
//     "at most one unrevoked credential per mobility" is decided by the
//     database, not by a read before the write.
//   - Status (Service.StatusBit, Service.StatusList): the allocation table
//     says which credential a bit was given to; whether it is set at a time T
//     is the fold of that credential's stream over the events recorded at or
//     before T. No bit is stored, so ?timestamp= answers for any past moment.
//   - Verifying: Verifier.Verify, whose ports (KeyResolver, StatusChecker,
//     LedgerChecker) Service implements over the log (Service.Verifier); and
//     Service.Lookup, the record of a credential by its ID, for which the log
//     holds the token's hash but not the token.
package credentials
