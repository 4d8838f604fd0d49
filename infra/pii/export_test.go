package pii

import "context"

// AwaitReadAhead waits for the read of subject's key that ReadAhead started
// for ctx, if any.
func (k *Keyring) AwaitReadAhead(ctx context.Context, subject string) {
	if r, ok := ctx.Value(aheadKey{k, subject}).(*keyRead); ok {
		<-r.done
	}
}
