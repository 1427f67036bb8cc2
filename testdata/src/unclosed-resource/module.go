package unclosedresource

import (
	"io"
	"os"
	"strings"
)

// openBlob acquires: its declared result is an io.ReadCloser, so callers in
// the module must close what it returns.
func openBlob(name string) (io.ReadCloser, error) {
	if strings.HasPrefix(name, "mem:") {
		return io.NopCloser(strings.NewReader(name[4:])), nil
	}
	return os.Open(name)
}

// Spool is a module type with a Close method.
type Spool struct {
	f *os.File
}

// Close releases the spool's file.
func (s *Spool) Close() error { return s.f.Close() }

func openSpool(dir string) (*Spool, error) {
	f, err := os.CreateTemp(dir, "spool")
	if err != nil {
		return nil, err
	}
	return &Spool{f: f}, nil
}

func blobSizeLeak(name string) (int64, error) {
	r, err := openBlob(name) // want "openBlob is not closed on every path"
	if err != nil {
		return 0, err
	}
	return io.Copy(io.Discard, r)
}

func spoolLeak(dir string) error {
	s, err := openSpool(dir) // want "openSpool is not closed on every path"
	if err != nil {
		return err
	}
	_, err = s.f.WriteString("header\n")
	return err
}

// Negative look-alikes.

func blobSizeClosed(name string) (int64, error) {
	r, err := openBlob(name)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return io.Copy(io.Discard, r)
}

func spoolClosed(dir string) error {
	s, err := openSpool(dir)
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = s.f.WriteString("header\n")
	return err
}

// wrapStream wraps a stream its caller owns: not an acquisition.
func wrapStream(r io.Reader) io.ReadCloser {
	return io.NopCloser(r)
}

func wrapperIsNotAcquisition(r io.Reader) error {
	rc := wrapStream(r)
	_, err := io.Copy(io.Discard, rc)
	return err
}
