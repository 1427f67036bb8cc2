package unboundedmap

// Look-alikes of closed_sets.go whose keys are not from a closed set.

import (
	"net"
	"net/http"
	"strings"
)

// One call passes a varying name.
var peerNames = map[string]int{} // want "package-level map peerNames only grows"

func namePeer(base string, c net.Conn) string {
	peerNames[base]++
	return base
}

func acceptPeer(c net.Conn) { namePeer("server", c) }

func acceptRemote(c net.Conn) { namePeer(c.RemoteAddr().String(), c) }

// Flags from a table, then shifted by the request: no closed set.
var sizeFlagBits = map[string]int{"small": 1, "large": 2}

var sizeCache = map[int][]byte{} // want "package-level map sizeCache only grows"

func sizedFor(r *http.Request) []byte {
	key := sizeFlagBits[r.FormValue("size")]
	key += len(r.URL.Path)
	b := sizeCache[key]
	if b == nil {
		b = make([]byte, key)
		sizeCache[key] = b
	}
	return b
}

// A table that a handler writes is no table of constants.
var modeBits = map[string]int{"a": 1} // want "package-level map modeBits only grows"

var modeCache = map[int]string{} // want "package-level map modeCache only grows"

func learnMode(name string, bit int) { modeBits[name] = bit }

func modeFor(r *http.Request) string {
	var m int
	for _, s := range strings.Split(r.FormValue("mode"), ",") {
		m |= modeBits[s]
	}
	modeCache[m] = r.URL.Path
	return modeCache[m]
}

// Exported, but no registration verb: `Additional` is not `Add` + a name.
var extras = map[string]string{} // want "package-level map extras only grows"

func AdditionalHeader(name, value string) { extras[name] = value }

// A constant step is no closed set: `size *= 2` walks as far as the loop goes.
var poolsBySize = map[int][]byte{} // want "package-level map poolsBySize only grows"

func warmPools(max int) {
	for size := 64; size <= max; size *= 2 {
		poolsBySize[size] = make([]byte, size)
	}
}
