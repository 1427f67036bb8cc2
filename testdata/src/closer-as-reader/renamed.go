package closerasreader

// The io interfaces under another import name are the same interfaces.

import (
	"os"
	stdio "io"
)

func openLog(path string) (stdio.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return f, nil // want "openLog returns the file from os\\.Open as stdio\\.Reader, so callers cannot close it"
}

// Wrapping the caller's reader hides nothing.
func withNopClose(r stdio.Reader) stdio.Reader {
	return stdio.NopCloser(r)
}

// An interface of the package that happens to be called Reader is not io's.
type Reader interface {
	Read(p []byte) (int, error)
	Close() error
}

func openOwn(path string) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return f, nil
}
