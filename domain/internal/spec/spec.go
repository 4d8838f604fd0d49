// Package spec checks the outcome of a domain decision in the aggregates'
// given/when/then tests.
package spec

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
)

// Then fails t unless a decision that returned got and err yielded exactly the
// events want or, when wantErr is set, no events and an error wrapping wantErr
// whose message contains wantMsg.
func Then(t *testing.T, got []domain.Event, err error, want []domain.Event, wantErr error, wantMsg string) {
	t.Helper()
	if wantErr != nil {
		if !errors.Is(err, wantErr) || got != nil {
			t.Fatalf("got %v, %v; want no events and an error wrapping %v", got, err, wantErr)
		}
		if !strings.Contains(err.Error(), wantMsg) {
			t.Errorf("message %q does not contain %q", err, wantMsg)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got events %#v\nwant %#v", got, want)
	}
}
