package projector

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/erasmus-ledger/ledger/infra/codec"
	"github.com/erasmus-ledger/ledger/infra/store"
	"github.com/erasmus-ledger/ledger/projections"
)

// FoldStreams folds p, in memory, over the events of streams that the log
// recorded at or before until, in log order: the read model as it stood at
// until, restricted to those streams. It stores nothing.
func FoldStreams(ctx context.Context, log store.Log, c *codec.Codec, p projections.Projection, streams []string, until time.Time) (*projections.Memory, error) {
	var recs []store.Record
	for _, s := range streams {
		rs, err := log.ReadStream(ctx, s)
		if err != nil {
			return nil, err
		}
		for _, rec := range rs {
			if !rec.RecordedAt.After(until) {
				recs = append(recs, rec)
			}
		}
	}
	slices.SortFunc(recs, func(a, b store.Record) int { return cmp.Compare(a.Index, b.Index) })
	events := make([]projections.Event, 0, len(recs))
	for _, rec := range recs {
		if !projections.Wants(p, rec.Type) {
			continue
		}
		e, err := c.DecodeSealed(rec)
		if err != nil {
			return nil, err
		}
		events = append(events, projections.Event{Index: rec.Index, Stream: rec.Stream, RecordedAt: rec.RecordedAt, Data: e})
	}
	docs := projections.NewMemory()
	return docs, projections.Fold(ctx, p, docs, events)
}
