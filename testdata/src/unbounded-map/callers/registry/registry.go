// Package registry is public: programs outside the module may call it too.
package registry

// Entry is a registered name.
type Entry struct{ name string }

var (
	// Named is only called from variable initialisers with constants, the
	// way a registration API is used: silent.
	named = map[string]*Entry{}
	// Lookup is called with a constant, but per call of a function: a
	// public cache API, whose other callers may pass anything.
	lookups = map[string]int{} // want "package-level map lookups only grows"
)

// Named returns the entry of name, made once.
func Named(name string) *Entry {
	if e, ok := named[name]; ok {
		return e
	}
	e := &Entry{name: name}
	named[name] = e
	return e
}

// Lookup counts a lookup of key.
func Lookup(key string) int {
	lookups[key]++
	return lookups[key]
}
