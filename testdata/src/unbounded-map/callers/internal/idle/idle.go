// Package idle is called by nothing in the module: who calls Remember, and
// with what, is unknown.
package idle

var seen = map[string]bool{} // want "package-level map seen only grows"

// Remember records key.
func Remember(key string) { seen[key] = true }
