package migration

import (
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		files   []string
		want    []string // Names in order, or nil for an error.
		wantErr bool
	}{
		{"sorted by version", []string{"020_tlog.sql", "001_events.sql", "010_credentials.sql"},
			[]string{"001_events", "010_credentials", "020_tlog"}, false},
		{"other files ignored", []string{"001_events.sql", "README.md"}, []string{"001_events"}, false},
		{"none", nil, nil, false},
		{"same version twice", []string{"001_events.sql", "001_more.sql"}, nil, true},
		{"two digits", []string{"01_events.sql"}, nil, true},
		{"no description", []string{"001.sql"}, nil, true},
		{"upper case", []string{"001_Events.sql"}, nil, true},
		{"dash", []string{"001-events.sql"}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"m/.keep": {}}
			for _, f := range tc.files {
				fsys["m/"+f] = &fstest.MapFile{Data: []byte("-- " + f)}
			}
			files, err := Load(fsys, "m")
			if tc.wantErr {
				if err == nil {
					t.Fatalf("Load = %v, want an error", files)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != len(tc.want) {
				t.Fatalf("Load returned %d files, want %d", len(files), len(tc.want))
			}
			for i, f := range files {
				if f.Name != tc.want[i] || f.SQL != "-- "+f.Name+".sql" {
					t.Errorf("file %d = %+v, want %s with its content", i, f, tc.want[i])
				}
			}
		})
	}
}
