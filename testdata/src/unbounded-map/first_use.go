package unboundedmap

// Maps made on first use, and registries that refuse a name twice.

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// Made on first use and filled once there, from a fixed list: bounded.
var opNames map[string]int

func opCode(name string) int {
	if opNames == nil {
		opNames = map[string]int{}
		for i, op := range strings.Fields("add sub mul div") {
			opNames[op] = i
		}
	}
	return opNames[name]
}

// Made on first use, then filled per call: it grows.
var (
	peersMu sync.Mutex
	peers   map[string]int // want "package-level map peers only grows"
)

func sawPeer(r *http.Request) {
	peersMu.Lock()
	defer peersMu.Unlock()
	if len(peers) == 0 {
		peers = make(map[string]int)
	}
	peers[r.RemoteAddr]++
}

// A constructor of named objects that refuses a name twice is a registry:
// the program's code names what it creates.
type gauge struct{ name string }

var gauges = map[string]*gauge{}

func NewGauge(name string) (*gauge, error) {
	if _, ok := gauges[name]; ok {
		return nil, fmt.Errorf("gauge %q already registered", name)
	}
	g := &gauge{name: name}
	gauges[name] = g
	return g, nil
}

// Refusing a replayed request id is no registry: one entry per request, forever.
var replayed = map[string]bool{} // want "package-level map replayed only grows"

var errReplay = errors.New("request replayed")

func checkReplay(r *http.Request) error {
	id := r.Header.Get("X-Request-Id")
	if replayed[id] {
		return errReplay
	}
	replayed[id] = true
	return nil
}

// The same refusal with a sentinel error.
var counters = map[string]*gauge{}

var ErrNameInUse = errors.New("name in use")

func NewCounter(name string) (*gauge, error) {
	if _, ok := counters[name]; ok {
		return nil, ErrNameInUse
	}
	c := &gauge{name: name}
	counters[name] = c
	return c, nil
}
