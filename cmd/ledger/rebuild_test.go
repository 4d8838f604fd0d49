package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
)

func TestRebuild(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"rebuild", "--data", dir}, "rebuilt credentialstatus, directory, transcript: 0 events"},
		{[]string{"rebuild", "transcript", "--data", dir}, "rebuilt transcript: 0 events"},
	} {
		out, _, err := runCapture(t, nil, tt.args...)
		if err != nil || !strings.Contains(out, tt.want) {
			t.Errorf("%v: %v, %q; want %q", tt.args, err, out, tt.want)
		}
	}
	if _, _, err := runCapture(t, nil, "rebuild", "nosuch", "--data", dir); !errors.Is(err, domain.ErrInvalid) ||
		!strings.Contains(err.Error(), "transcript") {
		t.Errorf("rebuild of an unknown projection: %v", err)
	}
}
