// Package robots is linked only into linkcheck: its cache lives for one run.
package robots

var rules = map[string][]string{} // want "package-level map rules only grows: .* until the command exits"

// Allowed reports whether path may be fetched on host.
func Allowed(host, path string, fetch func(string) []string) bool {
	r, ok := rules[host]
	if !ok {
		r = fetch(host)
		rules[host] = r
	}
	for _, p := range r {
		if p == path {
			return false
		}
	}
	return true
}
