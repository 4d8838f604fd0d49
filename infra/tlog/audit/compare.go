package audit

import (
	"context"
	"fmt"

	"github.com/erasmus-ledger/ledger/infra/tlog/checkpoint"
)

// compare checks the recomputed tree against the remembered checkpoint and
// the current one, and locates the first divergence from each that fails.
// When the entries ended early, it compares what there is. A remembered
// checkpoint that is the current one is checked once, as the current one.
func compare(ctx context.Context, in Input, r *Report, t *tree, seq *sequence) error {
	if m := in.Remembered; m != nil && m.Size > 0 && r.Entries >= m.Size && *m != r.Checkpoint {
		root, err := t.root(int64(m.Size))
		if err != nil {
			return err
		}
		if root != m.Root {
			r.add(Discrepancy{Kind: Rewritten, Detail: fmt.Sprintf("the first %d entries hash to %s; the checkpoint of the audit before says %s", m.Size, root, m.Root)})
			if err := locate(ctx, in.Prover, r, t, seq, *m, m.Size); err != nil {
				return err
			}
		}
	}
	if r.Entries < r.Checkpoint.Size {
		return locate(ctx, in.Prover, r, t, seq, r.Checkpoint, r.Entries)
	}
	root, err := t.root(int64(r.Checkpoint.Size))
	if err != nil {
		return err
	}
	r.Root = root
	if root == r.Checkpoint.Root {
		return nil
	}
	r.add(Discrepancy{Kind: RootMismatch, Detail: fmt.Sprintf("the entries hash to %s; the checkpoint says %s", root, r.Checkpoint.Root)})
	return locate(ctx, in.Prover, r, t, seq, r.Checkpoint, r.Checkpoint.Size)
}

// locate reports the first of the upto entries read whose prefix of the
// log no longer hashes to what the signed tree c contains, and nothing if
// every such prefix does. If no prefix verifies, either entry 0 differs or the
// ledger's own tree does not match its checkpoint, and the report says so.
func locate(ctx context.Context, p Prover, r *Report, t *tree, seq *sequence, c checkpoint.Checkpoint, upto uint64) error {
	if p == nil || upto == 0 {
		return nil
	}
	i, err := firstDiverging(ctx, p, t, c, upto)
	if err != nil || i == upto {
		return err
	}
	d := Discrepancy{Kind: Diverged, Index: i, HasWhere: true,
		Detail: fmt.Sprintf("the first entry that differs from the tree of %d entries signed as %s; entries before it are proven genuine", c.Size, c.Root)}
	if i == 0 {
		d.Detail = fmt.Sprintf("entry 0 differs from the tree of %d entries signed as %s, or the ledger's stored tree does not match that checkpoint either", c.Size, c.Root)
	}
	if w, ok := seq.where(i); ok {
		d.Stream, d.EventID = w.stream, w.id
	}
	r.add(d)
	return nil
}

// firstDiverging bisects, with the prover's consistency proofs, for the
// first position i below upto such that the first i+1 entries read are not a
// prefix of the signed tree c; upto if there is none. A proof that verifies
// proves its prefix genuine whatever the prover is, so the entries before the
// position returned are proven genuine even if the prover lies.
func firstDiverging(ctx context.Context, p Prover, t *tree, c checkpoint.Checkpoint, upto uint64) (uint64, error) {
	// lo entries are proven genuine; hi are not, or hi is upto+1 if no
	// prefix was found that is not.
	lo, hi := uint64(0), upto+1
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ok, err := genuine(ctx, p, t, c, mid)
		if err != nil {
			return 0, fmt.Errorf("locate divergence from the checkpoint of %d entries: %w", c.Size, err)
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// genuine reports whether the first k entries read are the first k of the
// tree c, by the prover's consistency proof.
func genuine(ctx context.Context, p Prover, t *tree, c checkpoint.Checkpoint, k uint64) (bool, error) {
	proof, err := p.ConsistencyProof(ctx, k, c.Size)
	if err != nil {
		return false, err
	}
	root, err := t.root(int64(k))
	if err != nil {
		return false, err
	}
	return c.VerifyConsistency(checkpoint.Checkpoint{Origin: c.Origin, Size: k, Root: root}, proof) == nil, nil
}
