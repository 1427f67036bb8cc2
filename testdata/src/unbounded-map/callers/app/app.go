// Package app calls the module's keyed functions with constants.
package app

import (
	"example.com/unboundedmap/callers/internal/conns"
	"example.com/unboundedmap/callers/internal/hooks"
	"example.com/unboundedmap/callers/internal/logs"
	"example.com/unboundedmap/callers/internal/quiet"
	"example.com/unboundedmap/callers/registry"
)

const database = "db.internal:5432"

var (
	log   = logs.Component("app")
	entry = registry.Named("app")
)

// Start starts the app.
func Start() error {
	quiet.Mark("start")
	hooks.Hook("start")
	registry.Lookup("start")
	_, err := conns.Dial(database)
	return err
}
