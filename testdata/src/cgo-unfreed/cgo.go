package cgounfreed

// The Go garbage collector never frees C memory: every C.CString, C.CBytes
// and C.malloc needs its C.free.

/*
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static int greet(const char* name) { return printf("hello %s\n", name); }
static void keep(char* p) { (void)p; }
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

// Negative look-alikes.

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
