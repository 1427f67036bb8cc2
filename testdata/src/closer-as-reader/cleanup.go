package closerasreader

import (
	"io"
	"os"
)

// Returned with the cleanup that closes it: callers call the cleanup.
func tempReader(data []byte) (io.Reader, func(), error) {
	f, err := os.CreateTemp("", "body")
	if err != nil {
		return nil, nil, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return nil, nil, err
	}
	done := func() {
		f.Close()
		os.Remove(f.Name())
	}
	return f, done, nil
}

// The cleanup only removes the file: nothing closes it.
func tempReaderRemoveOnly(data []byte) (io.Reader, func(), error) {
	f, err := os.CreateTemp("", "body")
	if err != nil {
		return nil, nil, err
	}
	done := func() { os.Remove(f.Name()) }
	return f, done, nil // want "tempReaderRemoveOnly returns the file from os\\.CreateTemp as io\\.Reader"
}
