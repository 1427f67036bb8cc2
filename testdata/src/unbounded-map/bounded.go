package unboundedmap

// Look-alikes that must stay silent.

import (
	"net/http"
	"reflect"
	"sync"
	"time"
)

// Filled only in init.
var mimeByExt = map[string]string{}

func init() {
	for _, e := range []string{".html", ".css", ".js"} {
		mimeByExt[e] = "text/" + e[1:]
	}
}

func mimeOf(ext string) string { return mimeByExt[ext] }

// A registry keyed by constants.
const (
	codecJSON = "json"
	codecGob  = "gob"
)

var codecs = map[string]func([]byte) error{}

func registerDefaults() {
	codecs[codecJSON] = func([]byte) error { return nil }
	codecs[codecGob] = func([]byte) error { return nil }
	codecs["xml"] = func([]byte) error { return nil }
	codecs[http.MethodGet] = nil
}

// Reset on a timer by replacing the whole map.
var (
	rateMu sync.Mutex
	rate   = map[string]int{}
)

func hit(ip string) bool {
	rateMu.Lock()
	defer rateMu.Unlock()
	rate[ip]++
	return rate[ip] < 100
}

func resetRates() {
	for range time.Tick(time.Minute) {
		rateMu.Lock()
		rate = map[string]int{}
		rateMu.Unlock()
	}
}

// A bounded size check that evicts.
const maxTokens = 512

var tokens = make(map[string]time.Time)

func remember(tok string) {
	if len(tokens) >= maxTokens {
		for k := range tokens {
			delete(tokens, k)
			break
		}
	}
	tokens[tok] = time.Now()
}

// Only read.
var statusText = map[int]string{200: "OK", 404: "Not Found"}

func text(code int) string { return statusText[code] }

// Shadowed by a local of the same name.
var scratch map[string]int

func tally(words []string) map[string]int {
	scratch := map[string]int{}
	for _, w := range words {
		scratch[w]++
	}
	return scratch
}

// Filled by a func literal called on the spot in a variable initialiser.
var squares = map[int]int{}

var _ = func() bool {
	for i := 0; i < 10; i++ {
		squares[i] = i * i
	}
	return true
}()

// Handed to a function that may delete from it.
var pending = map[string]chan struct{}{}

func wait(id string) {
	pending[id] = make(chan struct{})
	expire(pending, id)
}

func expire(m map[string]chan struct{}, id string) { delete(m, id) }

// A sync.Map with LoadAndDelete.
var inflight sync.Map

func begin(id string) { inflight.Store(id, time.Now()) }

func finish(id string) { inflight.LoadAndDelete(id) }

// Cleared with clear.
var seenIDs = map[string]bool{}

func markSeen(id string) { seenIDs[id] = true }

func forgetAll() { clear(seenIDs) }

// A struct field deleted through a method's receiver.
type registry struct {
	mu    sync.Mutex
	conns map[string]int
}

func (r *registry) drop(id string) {
	r.mu.Lock()
	delete(r.conns, id)
	r.mu.Unlock()
}

var conns = registry{conns: map[string]int{}}

func connect(id string) {
	conns.mu.Lock()
	conns.conns[id]++
	conns.mu.Unlock()
}

// A map of maps: only the inner maps are written here.
var perTenant = map[string]map[string]int{"default": {}}

func bump(key string) { perTenant["default"][key]++ }

// A cache keyed by types: bounded by the types of the program.
var fieldCache sync.Map

func cachedFields(t reflect.Type) []string {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]string)
	}
	var names []string
	for i := 0; i < t.NumField(); i++ {
		names = append(names, t.Field(i).Name)
	}
	f, _ := fieldCache.LoadOrStore(t, names)
	return f.([]string)
}

var sizes = map[reflect.Type]int{}

func sizeOf(v reflect.Value) int {
	t := v.Type()
	sizes[t] = int(t.Size())
	return sizes[t]
}

// A registry: registering a name twice is a programming error, so the
// callers are fixed by the code.
var drivers = map[string]func() error{}

func Register(name string, open func() error) {
	if _, dup := drivers[name]; dup {
		panic("driver registered twice: " + name)
	}
	drivers[name] = open
}

var formats = map[string]string{}

func addFormat(name, magic string) {
	if _, dup := formats[name]; dup {
		panic("duplicate format " + name)
	}
	formats[name] = magic
}

// Filled once, by a function handed to sync.Once, or by a literal.
var (
	loadOnce  sync.Once
	protocols = map[string]int{}
	hostsOnce sync.Once
	hosts     = map[string]string{}
)

func readProtocols() {
	for _, line := range []string{"tcp 6", "udp 17"} {
		protocols[line[:3]] = len(line)
	}
}

func protocol(name string) int {
	loadOnce.Do(readProtocols)
	hostsOnce.Do(func() {
		for _, h := range []string{"localhost"} {
			hosts[h] = "127.0.0.1"
		}
	})
	return protocols[name]
}

// Keyed by a type id, as encoding/gob's registry: bounded by the program's types.
type typeId int32

var idToName = map[typeId]string{}

func registerID(id typeId, name string) {
	idToName[id] = name
}

// Counters keyed by a small enum: at most one entry per constant.
type phase int

const (
	parsing phase = iota
	checking
	linking
)

var phaseCount = map[phase]int{}

func enter(p phase) {
	phaseCount[p]++
}

// Keyed by a bool: two entries at most.
var byOutcome = map[bool][]string{}

func recordOutcome(ok bool, what string) {
	byOutcome[ok] = append(byOutcome[ok], what)
}
