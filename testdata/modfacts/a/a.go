// Package a opens connections and bodies that its callers must close.
package a

import (
	"io"
	"os"
	"strings"
)

// Conn is a connection; Close releases it.
type Conn struct {
	f *os.File
}

// Close releases the connection.
func (c *Conn) Close() error { return c.f.Close() }

// Read reads from the connection.
func (c *Conn) Read(p []byte) (int, error) { return c.f.Read(p) }

// Dial opens a connection: the caller must close it.
func Dial(name string) (*Conn, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return &Conn{f: f}, nil
}

// OpenBody opens a body: the caller must close it.
func OpenBody(s string) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader(s)), nil
}

// CloseQuietly closes c and drops the error.
func CloseQuietly(c io.Closer) {
	_ = c.Close()
}
