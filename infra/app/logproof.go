package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	sumdb "golang.org/x/mod/sumdb/tlog"

	"github.com/erasmus-ledger/ledger/domain"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/infra/tlog"
	"github.com/erasmus-ledger/ledger/infra/tlog/leaf"
)

// checkpointReuse is how long issuance proofs keep proving against the
// checkpoint they last read, when it covers the entry, before they read the
// latest one again.
const checkpointReuse = time.Second

// maxAuditPaths is how many audit paths issuance proofs keep; past it they
// start again empty.
const maxAuditPaths = 10_000

// issuanceProofs proves that the log holds credentials' issuances, as
// tlog.Service.ProveEntry does, but without reading again what cannot have
// changed: the latest checkpoint is reused for checkpointReuse (if it covers
// the entry), and an entry's audit path in a tree of a given size (a signed
// tree never changes) is kept. The entry itself is read afresh every time and
// the proof verified against it, so a log changed behind the ledger's back is
// still caught.
type issuanceProofs struct {
	tlog *tlog.Service
	log  store.Log
	now  func() time.Time // a real clock: reuse is not a matter of the ledger's time

	mu     sync.Mutex
	latest tlog.Signed
	readAt time.Time
	paths  map[[2]uint64][]sumdb.Hash // by entry index and tree size
}

func newIssuanceProofs(t *tlog.Service, log store.Log) *issuanceProofs {
	return &issuanceProofs{tlog: t, log: log, now: time.Now, paths: map[[2]uint64][]sumdb.Hash{}}
}

// prove returns the proof that log entry index, as stored now, is in the tree
// of a recent signed checkpoint, with the errors of tlog.Service.ProveEntry.
// The entry and its audit path are read at once, each on its own connection,
// so that a request waits for one round trip to the database rather than two.
func (p *issuanceProofs) prove(ctx context.Context, index uint64) (tlog.Recorded, error) {
	var (
		l    []byte
		lerr error
		wg   sync.WaitGroup
	)
	wg.Go(func() { l, lerr = p.leaf(ctx, index) })
	c, hashes, err := p.path(ctx, index)
	wg.Wait()
	if lerr != nil {
		return tlog.Recorded{}, lerr
	}
	if err != nil {
		return tlog.Recorded{}, err
	}
	if err := c.VerifyInclusion(index, l, hashes); err != nil {
		return tlog.Recorded{}, fmt.Errorf("entry %d: %w: %v", index, tlog.ErrNotInTree, err)
	}
	return tlog.Recorded{Inclusion: tlog.Inclusion{Index: index, Hashes: hashes, Checkpoint: c}, Leaf: l}, nil
}

// leaf reads log entry index as stored now and returns its leaf, or fails
// NotFound if the log has no such entry.
func (p *issuanceProofs) leaf(ctx context.Context, index uint64) ([]byte, error) {
	recs, err := p.log.ReadLog(ctx, index, 1)
	if err != nil {
		return nil, fmt.Errorf("read entry %d: %w", index, err)
	}
	if len(recs) == 0 || recs[0].Index != index {
		return nil, domain.NotFoundf("the log has no entry %d", index)
	}
	return leaf.Encode(recs[0])
}

// path returns a recent signed checkpoint that covers entry index and the
// entry's audit path in its tree.
func (p *issuanceProofs) path(ctx context.Context, index uint64) (tlog.Signed, []sumdb.Hash, error) {
	c, err := p.checkpoint(ctx, index)
	if err != nil {
		return tlog.Signed{}, nil, err
	}
	hashes, err := p.auditPath(ctx, index, c)
	return c, hashes, err
}

// checkpoint returns a signed checkpoint that covers entry index, read in the
// last checkpointReuse, or fails with tlog.ErrNotCheckpointed.
func (p *issuanceProofs) checkpoint(ctx context.Context, index uint64) (tlog.Signed, error) {
	p.mu.Lock()
	c, fresh := p.latest, p.now().Sub(p.readAt) < checkpointReuse
	p.mu.Unlock()
	if fresh && index < c.Size {
		return c, nil
	}
	c, err := p.tlog.Latest(ctx)
	if errors.Is(err, domain.ErrNotFound) {
		return tlog.Signed{}, fmt.Errorf("entry %d: %w", index, tlog.ErrNotCheckpointed)
	}
	if err != nil {
		return tlog.Signed{}, err
	}
	p.mu.Lock()
	p.latest, p.readAt = c, p.now()
	p.mu.Unlock()
	if index >= c.Size {
		return tlog.Signed{}, fmt.Errorf("entry %d: %w", index, tlog.ErrNotCheckpointed)
	}
	return c, nil
}

// auditPath returns the audit path of entry index in the tree of signed
// checkpoint c.
func (p *issuanceProofs) auditPath(ctx context.Context, index uint64, c tlog.Signed) ([]sumdb.Hash, error) {
	key := [2]uint64{index, c.Size}
	p.mu.Lock()
	hashes, ok := p.paths[key]
	p.mu.Unlock()
	if ok {
		return hashes, nil
	}
	hashes, err := p.tlog.CheckpointProof(ctx, index, c)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	if len(p.paths) >= maxAuditPaths {
		clear(p.paths)
	}
	p.paths[key] = hashes
	p.mu.Unlock()
	return hashes, nil
}

// logProof is the log member of a credential's verification
// (GET /v1/credentials/{id}/verification) besides the index of its
// issuance: the issuing event's leaf, its inclusion proof and the signed
// checkpoint it is proven against, with which anyone holding the log's key
// checks that the log holds the issuance without trusting the ledger. An
// issuance no checkpoint covers yet, or one that no longer matches the
// signed tree, gets a detail saying so instead of a proof.
func (p *issuanceProofs) logProof(ctx context.Context, index uint64) (map[string]any, error) {
	r, err := p.prove(ctx, index)
	switch {
	case errors.Is(err, tlog.ErrNotCheckpointed):
		return map[string]any{"detail": fmt.Sprintf("Recorded at log index %d, %s", index, pendingDetail)}, nil
	case errors.Is(err, tlog.ErrNotInTree):
		return map[string]any{"detail": changedDetail(index)}, nil
	case err != nil:
		return nil, err
	}
	return map[string]any{
		"tree_size":       r.Checkpoint.Size,
		"leaf":            r.Leaf,
		"inclusion_proof": nonNil(r.Hashes),
		"checkpoint":      string(r.Checkpoint.Note),
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
func (p *issuanceProofs) proveIssuance(ctx context.Context, index uint64) (string, error) {
	r, err := p.prove(ctx, index)
	switch {
	case errors.Is(err, tlog.ErrNotCheckpointed):
		return "It is " + pendingDetail, nil
	case errors.Is(err, tlog.ErrNotInTree):
		return "", domain.Conflictf("%s", changedDetail(index))
	case err != nil:
		return "", err
	}
	return fmt.Sprintf("Its inclusion in the transparency log is proven against the signed checkpoint of %d entries.", r.Checkpoint.Size), nil
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
