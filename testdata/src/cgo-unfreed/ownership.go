package cgounfreed

// Functions of a header the preamble includes, whose call sites show who
// owns the memory: a NoCopy constructor given a deallocator frees the bytes
// with the object; `free` passed as the destructor frees what goes with it.

/*
#include <CoreFoundation/CoreFoundation.h>
#include <sqlite3.h>
#include <stdlib.h>
*/
import "C"

import "unsafe"

func cfPath(path string) C.CFStringRef {
	return C.CFStringCreateWithCStringNoCopy(C.kCFAllocatorDefault, C.CString(path), C.kCFStringEncodingUTF8, C.kCFAllocatorDefault)
}

func cfPathNamed(path string) C.CFStringRef {
	cs := C.CString(path)
	return C.CFStringCreateWithCStringNoCopy(C.kCFAllocatorDefault, cs, C.kCFStringEncodingUTF8, C.kCFAllocatorDefault)
}

// kCFAllocatorNull: the string borrows the bytes, which stay the caller's.
func cfPathBorrowed(path string) C.CFStringRef {
	cs := C.CString(path) // want "C string from C\\.CString is not freed on every path"
	return C.CFStringCreateWithCStringNoCopy(C.kCFAllocatorDefault, cs, C.kCFStringEncodingUTF8, C.kCFAllocatorNull)
}

// The copying constructor keeps its own copy.
func cfPathCopied(path string) C.CFStringRef {
	return C.CFStringCreateWithCString(C.kCFAllocatorDefault, C.CString(path), C.kCFStringEncodingUTF8) // want "C string from C\\.CString is discarded"
}

func resultText(ctx *C.sqlite3_context, s string) {
	cs := C.CString(s)
	C.sqlite3_result_text(ctx, cs, C.int(len(s)), (*[0]byte)(unsafe.Pointer(C.free)))
}

func bindBlob(stmt *C.sqlite3_stmt, data []byte) C.int {
	return C.sqlite3_bind_blob(stmt, 1, C.CBytes(data), C.int(len(data)), (*[0]byte)(C.free))
}

// SQLITE_TRANSIENT makes SQLite copy: the memory is still to be freed.
func bindTransient(stmt *C.sqlite3_stmt, s string) C.int {
	cs := C.CString(s) // want "C string from C\\.CString is not freed on every path"
	return C.sqlite3_bind_text(stmt, 1, cs, -1, C.SQLITE_TRANSIENT)
}

func bindFreedAfter(stmt *C.sqlite3_stmt, s string) C.int {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	return C.sqlite3_bind_text(stmt, 1, cs, -1, C.SQLITE_TRANSIENT)
}
