package cgounfreed

// A helper defined in another file's preamble takes ownership there.

/*
void set_owned(char *s);
*/
import "C"

func setOwned(name string) {
	C.set_owned(C.CString(name))
}
