package unboundedmap

import "testing"

// A test that resets a map does not bound it in production, and writes in
// tests do not count either.
var fixtures = map[string]string{}

func TestRecord(t *testing.T) {
	record(1, "book", 9.5)
	fixtures[t.Name()] = "x"
	scratch = map[string]int{}
	history = map[int64][]string{}
}
