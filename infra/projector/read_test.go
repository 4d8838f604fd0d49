package projector_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/erasmus-ledger/ledger/infra/projector"
	"github.com/erasmus-ledger/ledger/projections"
	"github.com/erasmus-ledger/ledger/projections/credentialstatus"
)

// docsFunc is Runner.Docs.
type docsFunc = func(ctx context.Context, name string) (projections.Docs, error)

// TestDocsReadTheLiveGeneration reads documents through Docs, before and
// after a rebuild has made another generation live: each reads as the fold of
// the whole log has it, and a key without a document reads as none.
func TestDocsReadTheLiveGeneration(t *testing.T) {
	t.Parallel()
	for _, kind := range backends {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			b := open(t, kind)
			c := newCodec(t, b)
			load(t, b, generate(t, c, 1500, 5))
			r := runner(t, b, c, 500, 700)
			if err := r.CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
			want := expected(t, b, c)[credentialstatus.Name]
			if len(want) == 0 {
				t.Fatal("the generated log has no credential status documents")
			}
			readAll(t, r.Docs, want)
			if _, err := r.Rebuild(ctx, nil, func(projector.Progress) {}); err != nil {
				t.Fatal(err)
			}
			readAll(t, r.Docs, want)
		})
	}
}

// readAll reads every key of want, and one more that has no document,
// through views of docs, three keys a view.
func readAll(t *testing.T, docs docsFunc, want map[string]string) {
	t.Helper()
	ctx := context.Background()
	keys := []string{credentialstatus.CredentialKey("cred_none")}
	for k := range want {
		keys = append(keys, k)
	}
	for i := 0; i < len(keys); i += 3 {
		view, err := docs(ctx, credentialstatus.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys[i:min(i+3, len(keys))] {
			v, err := view.Get(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			w, ok := want[k]
			if !ok {
				if v != nil {
					t.Errorf("%s: read %v, want no document", k, v)
				}
				continue
			}
			got, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != w {
				t.Errorf("%s: read %s, want %s", k, got, w)
			}
		}
	}
}
