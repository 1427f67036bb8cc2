// Package web calls them with what requests carry.
package web

import (
	"net/http"

	"example.com/unboundedmap/callers/internal/conns"
	"example.com/unboundedmap/callers/internal/hooks"
	"example.com/unboundedmap/callers/internal/logs"
	"example.com/unboundedmap/callers/internal/quiet"
	"example.com/unboundedmap/callers/registry"
)

var entry = registry.Named("web")

// Serve proxies a request to the host it names.
func Serve(w http.ResponseWriter, r *http.Request) {
	// An internal package's function called per request, with a constant: bounded.
	_ = logs.Component("web")
	quiet.Mark("serve")
	if _, err := conns.Dial(r.Host); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
	run(hooks.Hook)
}

func run(hook func(string)) { hook("serve") }
