package unboundedmap

// Package-level values of the package's struct types, built by a
// constructor or a literal, whose methods write their map fields: each call
// of such a method on the value adds an entry to its map.

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

type sessionStore struct {
	mu   sync.Mutex
	byID map[string]time.Time
}

func newSessionStore() *sessionStore {
	return &sessionStore{byID: make(map[string]time.Time)}
}

func (s *sessionStore) add(id string, at time.Time) {
	s.mu.Lock()
	s.byID[id] = at
	s.mu.Unlock()
}

// One entry per login, kept for good.
var logins = newSessionStore() // want "package-level map logins.byID only grows"

func logIn(w http.ResponseWriter, r *http.Request) {
	logins.add(r.FormValue("user"), time.Now())
}

// A literal value; the write sits in a method that another method calls.
type pageCache struct {
	mu    sync.RWMutex
	pages map[string][]byte
}

func (c *pageCache) get(url string) []byte {
	c.mu.RLock()
	b, ok := c.pages[url]
	c.mu.RUnlock()
	if !ok {
		b = []byte(strings.ToUpper(url))
		c.put(url, b)
	}
	return b
}

func (c *pageCache) put(url string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pages[url] = b
}

var pages = &pageCache{pages: map[string][]byte{}} // want "package-level map pages.pages only grows"

func servePage(w http.ResponseWriter, r *http.Request) {
	_, _ = w.Write(pages.get(r.URL.Path))
}

// A map made on first use is no reset: a nil map holds nothing to drop.
type hostCounts struct {
	mu sync.Mutex
	n  map[string]int
}

func (h *hostCounts) inc(host string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == nil {
		h.n = make(map[string]int)
	}
	h.n[host]++
}

var hostHits hostCounts // want "package-level map hostHits.n only grows"

func countHost(r *http.Request) { hostHits.inc(r.Host) }

// A sync.Map field stored into through a constructor-built value.
type tracker struct{ seen sync.Map }

func newTracker() (*tracker, error) { return &tracker{}, nil }

func (t *tracker) mark(id string) { t.seen.Store(id, time.Now()) }

var requests, _ = newTracker() // want "package-level sync.Map requests.seen only grows"

func track(r *http.Request) { requests.mark(r.Header.Get("X-Request-Id")) }

// The method computes the key itself: what it passes is beside the point.
type userIndex struct{ byName map[string]int }

func (u *userIndex) index(first, last string, id int) {
	u.byName[first+" "+last] = id
}

var users = userIndex{byName: map[string]int{}} // want "package-level map users.byName only grows"

func signUp(w http.ResponseWriter, r *http.Request) {
	users.index(r.FormValue("first"), r.FormValue("last"), len(r.Form))
}

// Look-alikes that stay silent.

// Evicted by a method through its receiver: bounded.
type ttlCache struct {
	mu    sync.Mutex
	items map[string]time.Time
}

func newTTLCache() *ttlCache { return &ttlCache{items: map[string]time.Time{}} }

func (c *ttlCache) set(k string) {
	c.mu.Lock()
	c.items[k] = time.Now()
	c.mu.Unlock()
}

func (c *ttlCache) sweep(maxAge time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, at := range c.items {
		if time.Since(at) > maxAge {
			delete(c.items, k)
		}
	}
}

var ttl = newTTLCache()

func rememberPeer(r *http.Request) { ttl.set(r.RemoteAddr) }

func janitor() {
	for range time.Tick(time.Minute) {
		ttl.sweep(time.Hour)
	}
}

// Every call passes a constant: the map holds two entries.
type codecSet struct {
	byName map[string]func([]byte) []byte
}

func (c *codecSet) add(name string, f func([]byte) []byte) { c.byName[name] = f }

var textCodecs = &codecSet{byName: map[string]func([]byte) []byte{}}

func setupCodecs() {
	textCodecs.add("upper", func(b []byte) []byte { return []byte(strings.ToUpper(string(b))) })
	textCodecs.add("lower", func(b []byte) []byte { return []byte(strings.ToLower(string(b))) })
}

// Filled from init only.
type mimeTable struct{ byExt map[string]string }

func (m *mimeTable) learn(ext, typ string) { m.byExt[ext] = typ }

var mimes = &mimeTable{byExt: map[string]string{}}

func init() {
	for _, kv := range [][2]string{{".css", "text/css"}, {".js", "text/javascript"}} {
		mimes.learn(kv[0], kv[1])
	}
}

// A value made per request holds its entries only as long as the request.
func perRequest(r *http.Request) int {
	local := newSessionStore()
	local.add(r.FormValue("user"), time.Now())
	return len(local.byID)
}

// The package's registration API fills it: the importing program decides what it registers.
type handlerSet struct{ byPath map[string]http.HandlerFunc }

func (h *handlerSet) put(path string, f http.HandlerFunc) { h.byPath[path] = f }

var routes = &handlerSet{byPath: map[string]http.HandlerFunc{}}

func RegisterHandler(path string, f http.HandlerFunc) { routes.put(path, f) }

// A method hands the map out: whoever receives it may delete from it.
type labelSet struct{ labels map[string]string }

func (l *labelSet) set(k, v string) { l.labels[k] = v }

func (l *labelSet) all() map[string]string { return l.labels }

var labels = &labelSet{labels: map[string]string{}}

func label(r *http.Request) map[string]string {
	labels.set(r.FormValue("k"), r.FormValue("v"))
	return labels.all()
}

// Reset on a timer by a method: bounded.
type window struct {
	mu     sync.Mutex
	counts map[string]int
}

func (w *window) hit(ip string) {
	w.mu.Lock()
	w.counts[ip]++
	w.mu.Unlock()
}

func (w *window) reset() {
	w.mu.Lock()
	w.counts = map[string]int{}
	w.mu.Unlock()
}

var ipWindow = &window{counts: map[string]int{}}

func limit(r *http.Request) {
	ipWindow.hit(r.RemoteAddr)
}

func resetLoop() {
	for range time.Tick(time.Second) {
		ipWindow.reset()
	}
}

// A constant key inside the method: one entry.
type totals struct{ byKind map[string]int }

func (t *totals) bump() { t.byKind["requests"]++ }

var reqTotals = &totals{byKind: map[string]int{}}

func countRequest(r *http.Request) { reqTotals.bump() }
