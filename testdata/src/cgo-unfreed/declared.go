package cgounfreed

// Functions this preamble only declares are defined in a .c file of the
// package, which is not read. One that takes a mutable pointer and returns
// the same pointer type may free it and return a new one (realloc), so it
// keeps its argument; the caller frees what it returns.

/*
#include <stdlib.h>
extern char *escape_json(char *str);
extern char *quote(const char *str);
extern int width(char *str);
*/
import "C"

import "unsafe"

func escaped(s string) string {
	in := C.CString(s)
	out := C.escape_json(in)
	defer C.free(unsafe.Pointer(out))
	return C.GoString(out)
}

func quoted(s string) string {
	in := C.CString(s) // want "C string from C\\.CString is not freed on every path"
	out := C.quote(in)
	defer C.free(unsafe.Pointer(out))
	return C.GoString(out)
}

func measured(s string) int {
	in := C.CString(s) // want "C string from C\\.CString is not freed on every path"
	return int(C.width(in))
}
