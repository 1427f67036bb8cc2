// Package modpath finds the module of a directory for the stub generator.
// Only the generator links it, through package gen, and the generator
// exits once it has written its stubs: the cache lives for one run.
package modpath

import (
	"os"
	"path/filepath"
	"sync"
)

var (
	mu   sync.Mutex
	mods = map[string]string{} // want "package-level map mods only grows: .* until the command exits"
)

// Of returns the directory holding the go.mod of dir, or "".
func Of(dir string) string {
	mu.Lock()
	defer mu.Unlock()
	if m, ok := mods[dir]; ok {
		return m
	}
	m := ""
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			m = d
			break
		}
	}
	mods[dir] = m
	return m
}
