// Package render renders headers. The stub server links it too, and the
// server runs until it is stopped: its cache lives for the life of that
// process.
package render

import "strings"

var headers = map[string]string{} // want "package-level map headers only grows: .* for the life of the process"

// Header returns the header for name.
func Header(name string) string {
	if h, ok := headers[name]; ok {
		return h
	}
	h := "// Code generated for " + strings.ToLower(name) + ".\n"
	headers[name] = h
	return h
}
