package unboundedmap

// Keys that the program's own code bounds though no constant is written:
// what types name, places in the code, struct tags, size classes. Beside
// each, the look-alike whose key comes from data and still grows.

import (
	"fmt"
	"math/bits"
	"net/http"
	"reflect"
	"runtime"
	"sync"
)

// A codec's type info, keyed by the identity of the type: one entry per type.
type codecInfo struct{ fields []string }

var (
	codecMu    sync.RWMutex
	codecInfos = make(map[uintptr]*codecInfo)
)

func codecInfoOf(rtid uintptr, rt reflect.Type) *codecInfo {
	codecMu.Lock()
	defer codecMu.Unlock()
	if ci, ok := codecInfos[rtid]; ok {
		return ci
	}
	ci := &codecInfo{}
	for i := 0; i < rt.NumField(); i++ {
		ci.fields = append(ci.fields, rt.Field(i).Name)
	}
	codecInfos[rtid] = ci
	return ci
}

func encodeValue(v interface{}) *codecInfo {
	rt := reflect.TypeOf(v)
	rtid := reflect.ValueOf(rt).Pointer()
	return codecInfoOf(rtid, rt)
}

// The identity of a data pointer is no type: one entry per object encoded.
var seenObjects = map[uintptr]bool{} // want "package-level map seenObjects only grows"

func markObjectSeen(r *http.Request) {
	seenObjects[reflect.ValueOf(r).Pointer()] = true
}

// Types grouped by package path and name, as a type registry discovers them.
var typesByPackage = map[string]map[string]reflect.Type{}

func addLoadedType(obj interface{}) {
	typ := obj.(reflect.Type)
	if typ.Kind() != reflect.Ptr {
		return
	}
	loaded := typ.Elem()
	pkg := typesByPackage[loaded.PkgPath()]
	if pkg == nil {
		pkg = map[string]reflect.Type{}
		typesByPackage[loaded.PkgPath()] = pkg
	}
	pkg[loaded.Name()] = loaded
}

// A type's name joined with a user's name is per user.
var perUserType = map[string]int{} // want "package-level map perUserType only grows"

func countUserType(v interface{}, user string) {
	perUserType[reflect.TypeOf(v).Name()+user]++
}

// Column names read from struct tags and field names: written in the program.
var (
	columnMu sync.Mutex
	columns  = map[string]int{}
)

func indexColumns(t reflect.Type) {
	columnMu.Lock()
	defer columnMu.Unlock()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if tag := f.Tag.Get("db"); tag != "" {
			columns[tag] = i
			continue
		}
		columns[f.Name] = i
	}
}

// Helper functions marked by their callers, as testing.T.Helper does: one
// entry per function of the program.
var (
	helperMu sync.Mutex
	helpers  = map[string]struct{}{}
)

func markHelper() {
	var pc [1]uintptr
	n := runtime.Callers(2, pc[:])
	if n == 0 {
		return
	}
	frames := runtime.CallersFrames(pc[:n])
	frame, _ := frames.Next()
	helperMu.Lock()
	helpers[frame.Function] = struct{}{}
	helperMu.Unlock()
}

// Call sites counted by file and line, and functions by name.
type callSite struct {
	file string
	line int
}

var (
	siteMu    sync.Mutex
	siteCalls = map[callSite]int{}
	funcCalls = map[string]int{}
)

func countCaller() {
	pc, file, line, ok := runtime.Caller(1)
	if !ok {
		return
	}
	siteMu.Lock()
	siteCalls[callSite{file, line}]++
	funcCalls[runtime.FuncForPC(pc).Name()]++
	siteMu.Unlock()
}

// A call site paired with a request path grows with the paths.
var sitePaths = map[callSite]int{} // want "package-level map sitePaths only grows"

func countPath(r *http.Request) {
	_, file, _, _ := runtime.Caller(1)
	sitePaths[callSite{file, len(r.URL.Path)}]++
}

// The seed's shape: a key formatted from a counter is a new key every time.
var jobs = map[string]int{} // want "package-level map jobs only grows"

func runJobs(n int) {
	for i := 0; i < n; i++ {
		jobs[fmt.Sprintf("job-%d", i)] = i
	}
}

// Stacks recorded once per distinct call path, keyed by their frames.
const maxFrames = 8

type stackKey [maxFrames]callSite

var stacks = struct {
	sync.Mutex
	entries map[stackKey][]uintptr
}{entries: map[stackKey][]uintptr{}}

func makeStackKey(pcs []uintptr) stackKey {
	frames := runtime.CallersFrames(pcs)
	var key stackKey
	for i := 0; i < maxFrames; i++ {
		frame, more := frames.Next()
		key[i] = callSite{frame.File, frame.Line}
		if !more {
			break
		}
	}
	return key
}

func recordStack() []uintptr {
	pcs := make([]uintptr, maxFrames)
	n := runtime.Callers(1, pcs)
	pcs = pcs[:n]
	key := makeStackKey(pcs)
	stacks.Lock()
	defer stacks.Unlock()
	v, ok := stacks.entries[key]
	if !ok {
		v = append([]uintptr(nil), pcs...)
		stacks.entries[key] = v
	}
	return v
}

// The same key function over PCs that a caller sends in is keyed by data.
var reported = map[stackKey]bool{} // want "package-level map reported only grows"

func report(pcs []uintptr) {
	reported[makeStackKey(pcs)] = true
}

// Buffer pools by size class: sizes start at a constant and double up to a
// constant maximum.
const (
	minBuf = 64
	maxBuf = 1 << 20
)

var (
	poolMu   sync.Mutex
	bufPools = make(map[int]*sync.Pool)
)

func getBuffer(size int) []byte {
	poolMu.Lock()
	pool, ok := bufPools[size]
	if !ok {
		pool = &sync.Pool{New: func() interface{} { return make([]byte, 0, size) }}
		bufPools[size] = pool
	}
	poolMu.Unlock()
	return pool.Get().([]byte)[:0]
}

func grow(b []byte) []byte {
	next := cap(b) * 2
	if next > maxBuf {
		next = maxBuf
	}
	nb := getBuffer(next)
	return append(nb, b...)
}

func firstBuffer() []byte {
	return getBuffer(minBuf)
}

// Classes by bit length and shards by a hash modulo a constant.
var (
	classPools = map[int]*sync.Pool{}
	shardHits  = map[uint32]int{}
)

func classPool(n uint) *sync.Pool {
	c := bits.Len(n)
	p := classPools[c]
	if p == nil {
		p = &sync.Pool{}
		classPools[c] = p
	}
	return p
}

func hitShard(h uint32) {
	shardHits[h%64]++
}

// A size raised to a floor, not clamped to a ceiling, takes any value above it.
var (
	floorPools = make(map[int]*sync.Pool) // want "package-level map floorPools only grows"
	modPools   = make(map[int]*sync.Pool) // want "package-level map modPools only grows"
)

func floorPool(n int) *sync.Pool {
	size := n
	if size < minBuf {
		size = minBuf
	}
	p := &sync.Pool{}
	floorPools[size] = p
	return p
}

// A modulus that is itself data bounds nothing.
func modPool(n, m int) *sync.Pool {
	p := &sync.Pool{}
	modPools[n%m] = p
	return p
}
