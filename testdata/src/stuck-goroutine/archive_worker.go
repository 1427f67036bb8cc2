package stuckgoroutine

import "strings"

type archiver struct {
	lines []string
}

// drain is started from archive.go, another file of the package; it stores
// lines until in is closed.
func (a *archiver) drain(in <-chan string) {
	for s := range in { // want "goroutine never ends: in is never closed, so this range blocks forever"
		a.lines = append(a.lines, strings.ToUpper(s))
	}
}
