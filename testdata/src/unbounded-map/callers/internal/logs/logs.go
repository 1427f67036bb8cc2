// Package logs names loggers: every call in the module passes a constant
// component name, so the cache holds one entry per name the code spells out.
package logs

import "sync"

// Logger logs for one component.
type Logger struct{ name string }

var (
	mu    sync.Mutex
	cache = map[string]*Logger{}
)

// Component returns the logger of the component name, made once.
func Component(name string) *Logger {
	mu.Lock()
	defer mu.Unlock()
	if l, ok := cache[name]; ok {
		return l
	}
	l := &Logger{name: name}
	cache[name] = l
	return l
}

// Default is the package's own caller: a constant too.
func Default() *Logger { return Component("default") }
