package unboundedmap

// One half of a multi-file shape: entries are added here and deleted in
// ledger_evict.go, so the map is bounded.

import "time"

var ledger = map[string]time.Time{}

func open(id string) { ledger[id] = time.Now() }

// Written here, deleted nowhere: the other file only reads it.
var audit = map[string][]string{} // want "package-level map audit only grows"

func note(id, what string) { audit[id] = append(audit[id], what) }
