package unboundedmap

// Maps filled by functions that only initialisation calls, registries of
// callbacks, and test-support code; beside them, the same writes reached
// from code that runs per request.

import (
	"net/http"
	"sync"
)

// Chunk pools set up by `init` and by an exported Init that reconfigures them.
type chunkConfig struct{ min, max int }

var (
	chunkCfg   = chunkConfig{min: 512, max: 32768}
	chunkPools = map[int]*sync.Pool{}
)

func setupChunks() {
	for l := chunkCfg.min; l <= chunkCfg.max; l *= 2 {
		chunkPools[l] = new(sync.Pool)
	}
}

func init() {
	setupChunks()
}

// InitChunks sets up a non-default pooling strategy before any use.
func InitChunks(min, max int) {
	chunkCfg = chunkConfig{min, max}
	setupChunks()
}

// Types discovered once, by a function that a loader handed to once.Do calls.
var (
	discoverOnce sync.Once
	discovered   map[string]int
)

func discover() {
	discovered = map[string]int{}
	loadNames([]string{"a", "b"})
}

func loadNames(names []string) {
	for i, n := range names {
		discovered[n] = i
	}
}

// Lookup finds a discovered name.
func Lookup(name string) int {
	discoverOnce.Do(discover)
	return discovered[name]
}

// The same helper called from a handler runs per request.
var visits = map[string]int{} // want "package-level map visits only grows"

func countVisit(path string) {
	visits[path]++
}

func init() {
	countVisit("/")
}

func serveVisit(w http.ResponseWriter, r *http.Request) {
	countVisit(r.URL.Path)
}

// A helper also used as a func value may run from anywhere.
var tagged = map[string]bool{} // want "package-level map tagged only grows"

func tag(name string) { tagged[name] = true }

func init() {
	tag("boot")
}

var tagger = tag

// Handlers of extension points, registered by name with the funcs they run.
var (
	handlersMu sync.Mutex
	handlers   = map[string][]func(string){}
)

// Handle adds fn to the handlers of the extension point iface.
func Handle(iface string, fn func(string)) {
	handlersMu.Lock()
	defer handlersMu.Unlock()
	handlers[iface] = append(handlers[iface], fn)
}

// A memo whose compute func is called, not stored, keeps what it computes.
var memo = map[string]int{} // want "package-level map memo only grows"

// Memo computes the value of key once.
func Memo(key string, compute func() int) int {
	if v, ok := memo[key]; ok {
		return v
	}
	v := compute()
	memo[key] = v
	return v
}

// Test support: a package helper that takes what `*testing.M` implements.
type TestingM interface {
	Run() int
}

var scriptCmds = map[string]func([]string){}

// RunMain registers the commands of a test binary and runs its tests.
func RunMain(m TestingM, commands map[string]func() int) int {
	for name := range commands {
		name := name
		scriptCmds[name] = func(args []string) { _ = name }
	}
	return m.Run()
}

// A parameter whose type merely starts like a test type is no test helper.
type Tester struct{ Name string }

var testers = map[string]*Tester{} // want "package-level map testers only grows"

// Enroll adds a tester by name.
func Enroll(t *Tester) {
	testers[t.Name] = t
}

// A function that panics on a failure registers nothing by it: what it
// calls per request still counts.
var compiled = map[string][]byte{} // want "package-level map compiled only grows"

func compile(src string) []byte {
	b, ok := compiled[src]
	if !ok {
		b = []byte(src)
		compiled[src] = b
	}
	return b
}

func mustCompile(r *http.Request) []byte {
	b := compile(r.FormValue("tmpl"))
	if len(b) == 0 {
		panic("empty template")
	}
	return b
}
