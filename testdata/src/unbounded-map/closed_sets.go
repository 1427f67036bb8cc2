package unboundedmap

// Keys from a closed set, though the write names no constant: silent.

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// A counter keyed by a parameter that every call in the package passes a
// constant: one entry per name the code spells out.
var (
	connNamesMu sync.Mutex
	connNames   = map[string]int{}
)

func nameConn(base string, c net.Conn) string {
	connNamesMu.Lock()
	defer connNamesMu.Unlock()
	connNames[base]++
	return base
}

func serveConn(c net.Conn) { nameConn("server", c) }

func dialConn(c net.Conn) { nameConn("client", c) }

// A cache keyed by flags built only from lookups in a table of constants
// that nothing writes.
var curveFlagBits = map[string]int{
	"gc":     1,
	"stw":    2,
	"assist": 4,
}

var curveCache = map[int]*[]float64{}

func curveFor(r *http.Request) *[]float64 {
	var flags int
	for _, s := range strings.Split(r.FormValue("flags"), "|") {
		flags |= curveFlagBits[s]
	}
	c := curveCache[flags]
	if c == nil {
		c = new([]float64)
		curveCache[flags] = c
	}
	return c
}

// An exported map: importers can delete from it or replace it, so the
// package alone cannot tell.
var KnownDLLs = map[string]bool{}

func noteDLL(name string) string {
	KnownDLLs[name] = true
	return name
}

// An exported registration function: the importing program chooses what it adds.
var timeouts = map[string]int{}

func SetTimeout(key string, seconds int) { timeouts[key] = seconds }

var stores = map[string]func() error{}

func AddStore(name string, open func() error) { stores[name] = open }

// Written only from a helper that takes a testing.TB: a test binary's run.
var toolPaths sync.Map

func MustHaveTool(t testing.TB, tool string) {
	if _, ok := toolPaths.Load(tool); !ok {
		toolPaths.Store(tool, true)
	}
}

// Keyed by a type descriptor: bounded by the program's message types.
type MessageDescriptor interface{ FullName() string }

var needsCheck sync.Map

func checkMessage(md MessageDescriptor) {
	needsCheck.Store(md, true)
}
