package unboundedmap

// Package-level maps that only grow: written per call with varying keys,
// never deleted from, cleared or replaced anywhere in the package.

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// The render cache of a long-running service: one entry per distinct key, forever.
var renders = make(map[string][]byte) // want "package-level map renders only grows"

func render(key string) []byte {
	if b, ok := renders[key]; ok {
		return b
	}
	b := make([]byte, 1024)
	renders[key] = b
	return b
}

var (
	hitsMu sync.Mutex
	hits   = map[string]int{} // want "package-level map hits only grows"
)

func countHit(r *http.Request) {
	hitsMu.Lock()
	hits[r.URL.Path]++
	hitsMu.Unlock()
}

// Appending to a per-user slice and adding to a total.
var (
	history map[int64][]string    // want "package-level map history only grows"
	spent   = map[int64]float64{} // want "package-level map spent only grows"
)

func record(user int64, item string, price float64) {
	history[user] = append(history[user], item)
	spent[user] += price
}

// A sync.Map that is stored into and never deleted from.
var sessions sync.Map // want "package-level sync.Map sessions only grows"

func login(token string, user int64) {
	sessions.Store(token, user)
}

func whoIs(token string) (int64, bool) {
	v, ok := sessions.Load(token)
	if !ok {
		return 0, false
	}
	return v.(int64), true
}

var lastSeen = &sync.Map{} // want "package-level sync.Map lastSeen only grows"

func touch(id string) {
	lastSeen.LoadOrStore(id, time.Now())
}

// A map field of a package-level struct value.
var limiter struct { // want "package-level map limiter.windows only grows"
	sync.Mutex
	windows map[string]time.Time
}

func allow(ip string) bool {
	limiter.Lock()
	defer limiter.Unlock()
	if t, ok := limiter.windows[ip]; ok && time.Since(t) < time.Second {
		return false
	}
	limiter.windows[ip] = time.Now()
	return true
}

// Filled from a handler that init registers: the handler runs per request.
var visitors = map[string]bool{} // want "package-level map visitors only grows"

func init() {
	http.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		visitors[r.RemoteAddr] = true
		fmt.Fprintf(w, "hello, visitor %d", len(visitors))
	})
}

// A map type of the package; the writes sit in two functions.
type traceSet map[string]struct{}

var traces = traceSet{} // want "package-level map traces only grows"

func startTrace(id string) { traces[id] = struct{}{} }

func endTrace(id string) {
	traces[id+"/end"] = struct{}{}
}

// A named key type without constants is not a small domain.
type sessionID string

var sessionSeen = map[sessionID]int64{} // want "package-level map sessionSeen only grows"

func touchSession(id sessionID, now int64) {
	sessionSeen[id] = now
}
