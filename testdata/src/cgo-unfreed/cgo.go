package cgounfreed

// The Go garbage collector never frees C memory: every C.CString, C.CBytes
// and C.malloc needs its C.free.

/*
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static int greet(const char* name) { return printf("hello %s\n", name); }
static void keep(char* p) { (void)p; }
static void fill(char* p, int n) { memset(p, 'x', n); }

// Helpers that take ownership: one frees its argument, one stores it.
typedef struct { char *name; } holder;
struct msg { void *key; int key_len; };
static void take_name(char *s) { puts(s); free((void *)s); }
static void keep_name(holder *h, char *name) { h->name = name; }
// Hands the string on with free as its destructor; owned.go declares it.
void set_owned(char *s) { give_away(s, -1, &free); }
*/
import "C"

import (
	"errors"
	"unsafe"
)

var errEmpty = errors.New("empty")

type buffer struct {
	ptr unsafe.Pointer
	n   int
}

func greetLeak(name string) int {
	cs := C.CString(name) // want "C string from C\\.CString is not freed on every path"
	return int(C.greet(cs))
}

func greetFreedOnSuccessOnly(name string) error {
	cs := C.CString(name) // want "C string from C\\.CString is not freed on every path"
	if name == "" {
		return errEmpty
	}
	C.greet(cs)
	C.free(unsafe.Pointer(cs))
	return nil
}

func bytesLeak(data []byte) {
	p := C.CBytes(data) // want "C memory from C\\.CBytes is not freed on every path"
	C.keep((*C.char)(p))
}

func mallocLeak(n int) int {
	p := C.malloc(C.size_t(n)) // want "C memory from C\\.malloc is not freed on every path"
	C.memset(p, 0, C.size_t(n))
	return n
}

func inlineLeak(name string) int {
	return int(C.greet(C.CString(name))) // want "C string from C\\.CString is discarded"
}

func pointerIntoItLeak(n int) byte {
	p := C.malloc(C.size_t(n)) // want "C memory from C\\.malloc is not freed on every path"
	// A pointer into the memory, lent to a C function that only fills it.
	C.fill((*C.char)(unsafe.Pointer(&(*[1 << 30]byte)(p)[0])), C.int(n))
	return (*[1 << 30]byte)(p)[0]
}

func sliceViewLeak(data []byte) {
	p := C.malloc(C.size_t(len(data))) // want "C memory from C\\.malloc is not freed on every path"
	copy((*[1 << 30]byte)(p)[:len(data):len(data)], data)
	C.keep((*C.char)(p))
}

func convertedLeak(n int) int {
	buf := (*C.char)(C.malloc(C.size_t(n))) // want "C memory from C\\.malloc is not freed on every path"
	return int(C.greet(buf))
}

// Negative look-alikes.

func convertedFreed(n int) int {
	errstr := (*C.char)(C.malloc(C.size_t(n)))
	defer C.free(unsafe.Pointer(errstr))
	return int(C.greet(errstr))
}

// The message takes the memory through a pointer into it: whoever owns the
// message frees it (librdkafka's copy-free produce, for one).
func keyIntoMessage(m *C.struct_msg, value, key []byte) {
	var keyp unsafe.Pointer
	n := len(value) + len(key)
	if n > 0 {
		payload := C.malloc(C.size_t(n))
		copy((*[1 << 30]byte)(payload)[:len(value)], value)
		copy((*[1 << 30]byte)(payload)[len(value):n], key)
		keyp = unsafe.Pointer(&(*[1 << 30]byte)(payload)[len(value)])
	}
	m.key = keyp
	m.key_len = C.int(len(key))
}

// A preamble helper that frees its argument owns it.
func handedToFreeingHelper(name string) {
	C.take_name(C.CString(name))
}

// A preamble helper that stores its argument in a C struct owns it.
func storedByHelper(h *C.holder, name string) {
	cs := C.CString(name)
	C.keep_name(h, cs)
}


func greetDeferred(name string) int {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	return int(C.greet(cs))
}

func greetFreedInClosure(name string) int {
	cs := C.CString(name)
	defer func() { C.free(unsafe.Pointer(cs)) }()
	return int(C.greet(cs))
}

func mallocForCaller(n int) *buffer {
	p := C.malloc(C.size_t(n))
	return &buffer{ptr: p, n: n}
}

func (b *buffer) free() {
	C.free(b.ptr)
}

func bytesFreed(data []byte) {
	p := C.CBytes(data)
	C.keep((*C.char)(p))
	C.free(p)
}

func goStringIsNotCMemory(p *C.char) string {
	return C.GoString(p)
}
