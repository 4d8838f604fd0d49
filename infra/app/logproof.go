package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/tlog"
)

// logProof is the log member of a credential's verification
// (GET /v1/credentials/{id}/verification) besides the index of its
// issuance: the issuing event's leaf, its inclusion proof and the signed
// checkpoint it is proven against, with which anyone holding the log's key
// checks that the log holds the issuance without trusting the ledger. An
// issuance no checkpoint covers yet, or one that no longer matches the
// signed tree, gets a detail saying so instead of a proof.
func (a *App) logProof(ctx context.Context, index uint64) (any, error) {
	p, err := a.Transparency.ProveEntry(ctx, index)
	switch {
	case errors.Is(err, tlog.ErrNotCheckpointed):
		return map[string]any{"detail": fmt.Sprintf("Recorded at log index %d, %s", index, pendingDetail)}, nil
	case errors.Is(err, tlog.ErrNotInTree):
		return map[string]any{"detail": changedDetail(index)}, nil
	case err != nil:
		return nil, err
	}
	return map[string]any{
		"tree_size":       p.Checkpoint.Size,
		"leaf":            p.Leaf,
		"inclusion_proof": nonNil(p.Hashes),
		"checkpoint":      string(p.Checkpoint.Note),
		"detail": "The leaf is the issuing event's exact stored bytes. Its hash, SHA-256(0x00 || leaf), with the " +
			"inclusion proof (RFC 6962) gives the root that the signed checkpoint states; verify the checkpoint with " +
			"the key of /v1/log/key, pinned beforehand.",
	}, nil
}

// proveIssuance is the ledger check's inclusion proof for a presented
// credential (POST /v1/verifications): it proves, against the latest signed
// checkpoint, that the log holds the issuing event at index as stored.
//
// An issuance that no checkpoint covers yet passes: the event is in the log
// (the check has just read it), and the next checkpoint, due within the
// signing interval, will cover it; the detail says so. An issuance that no
// longer matches the signed tree fails: the log was changed after it.
func (a *App) proveIssuance(ctx context.Context, index uint64) (string, error) {
	p, err := a.Transparency.ProveEntry(ctx, index)
	switch {
	case errors.Is(err, tlog.ErrNotCheckpointed):
		return "It is " + pendingDetail, nil
	case errors.Is(err, tlog.ErrNotInTree):
		return "", domain.Conflictf("%s", changedDetail(index))
	case err != nil:
		return "", err
	}
	return fmt.Sprintf("Its inclusion in the transparency log is proven against the signed checkpoint of %d entries.", p.Checkpoint.Size), nil
}

// pendingDetail says that an entry awaits its checkpoint.
const pendingDetail = "not yet covered by a signed checkpoint of the transparency log; one follows within seconds."

// changedDetail says that entry index no longer matches the signed tree.
func changedDetail(index uint64) string {
	return fmt.Sprintf("The log's entry %d is not the one the transparency log's signed checkpoint holds: the log was changed after it was recorded.", index)
}

// nonNil is hashes, or an empty list for none, so that JSON shows [].
func nonNil[T any](hashes []T) []T {
	if hashes == nil {
		return []T{}
	}
	return hashes
}
