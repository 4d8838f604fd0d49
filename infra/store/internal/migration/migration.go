// Package migration reads the numbered SQL files that build a backend's schema.
// Each backend applies them with its own locking; this package only decides
// what the files are and in which order they run.
package migration

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
)

// File is one migration: version is the number its name starts with, Name its
// file name without ".sql" (such as "001_events"), SQL its statements.
type File struct {
	Version int
	Name    string
	SQL     string
}

// fileName is the required form of a migration's name: three digits, an
// underscore, a lower-case description, ".sql".
var fileName = regexp.MustCompile(`^([0-9]{3})_[a-z0-9_]+\.sql$`)

// Load reads every *.sql file of dir in fsys, sorted by version. It fails on a
// badly named file or on two files with the same version, so a clash between
// engineers' number ranges breaks the build's tests rather than a database.
func Load(fsys fs.FS, dir string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		f, err := load(fsys, dir, e.Name())
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	slices.SortFunc(files, func(a, b File) int { return a.Version - b.Version })
	for i := 1; i < len(files); i++ {
		if files[i].Version == files[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", files[i-1].Name, files[i].Name, files[i].Version)
		}
	}
	return files, nil
}

// load reads one migration file.
func load(fsys fs.FS, dir, name string) (File, error) {
	m := fileName.FindStringSubmatch(name)
	if m == nil {
		return File{}, fmt.Errorf("migration %s: name must look like 001_description.sql", name)
	}
	version, err := strconv.Atoi(m[1])
	if err != nil {
		return File{}, fmt.Errorf("migration %s: %w", name, err)
	}
	b, err := fs.ReadFile(fsys, path.Join(dir, name))
	if err != nil {
		return File{}, fmt.Errorf("migration %s: %w", name, err)
	}
	return File{Version: version, Name: name[:len(name)-len(".sql")], SQL: string(b)}, nil
}
