// Package golden pins the stored JSON form of domain events in testdata
// files, for the aggregates' tests: a change to a stored form changes what the
// log holds, so it must be deliberate.
package golden

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/erasmus-ledger/ledger/domain"
)

// Check compares each sample's JSON with testdata/<event type>.json (rewriting
// the file first when update is set), checks that it decodes back to the
// sample, that personal data never appears in the clear form, and that samples
// hold exactly one event of every type in types.
func Check(t *testing.T, samples, types []domain.Event, update bool) {
	t.Helper()
	checkCoverage(t, samples, types)
	for _, e := range samples {
		t.Run(e.EventType(), func(t *testing.T) {
			got, err := json.MarshalIndent(e, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", e.EventType()+".json")
			if update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("stored form of %s changed:\ngot  %s\nwant %s", e.EventType(), got, want)
			}
			checkNoPersonalData(t, e, want)
			checkRoundTrip(t, e, want)
		})
	}
}

// checkCoverage fails unless there is exactly one sample of every event type.
func checkCoverage(t *testing.T, samples, types []domain.Event) {
	t.Helper()
	seen := map[reflect.Type]bool{}
	for _, s := range samples {
		seen[reflect.TypeOf(s)] = true
	}
	for _, e := range types {
		if !seen[reflect.TypeOf(e)] {
			t.Errorf("no golden sample of %T", e)
		}
	}
	if len(samples) != len(types) {
		t.Errorf("%d samples for %d event types", len(samples), len(types))
	}
}

// checkNoPersonalData fails if the clear form of an event that carries
// personal data holds any of it.
func checkNoPersonalData(t *testing.T, e domain.Event, stored []byte) {
	t.Helper()
	p, ok := e.(domain.Personal)
	if !ok {
		return
	}
	pd := p.Personal()
	for _, v := range []string{pd.GivenName, pd.FamilyName, pd.Email, pd.BirthDate} {
		if v != "" && bytes.Contains(stored, []byte(v)) {
			t.Errorf("stored clear form of %s holds personal data %q", e.EventType(), v)
		}
	}
}

// checkRoundTrip fails unless stored decodes back to e, once personal data is
// restored as decoders do.
func checkRoundTrip(t *testing.T, e domain.Event, stored []byte) {
	t.Helper()
	ptr := reflect.New(reflect.TypeOf(e))
	if err := json.Unmarshal(stored, ptr.Interface()); err != nil {
		t.Fatal(err)
	}
	got := ptr.Elem().Interface().(domain.Event)
	if p, ok := got.(domain.Personal); ok {
		got = p.WithPersonal(e.(domain.Personal).Personal())
	}
	if !reflect.DeepEqual(got, e) {
		t.Errorf("decoded %#v, want %#v", got, e)
	}
}
