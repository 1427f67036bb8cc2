// Package io declares its interfaces and wrappers with unqualified names,
// as the real one does.
package io

type Reader interface {
	Read(p []byte) (n int, err error)
}

type Closer interface {
	Close() error
}

type ReadCloser interface {
	Reader
	Closer
}

// NopCloser wraps the caller's reader: it opens nothing.
func NopCloser(r Reader) ReadCloser {
	return nopCloser{r}
}

type nopCloser struct {
	Reader
}

func (nopCloser) Close() error { return nil }

// LimitReader hands back a Reader of the caller's reader.
func LimitReader(r Reader, n int64) Reader { return &limited{r, n} }

type limited struct {
	r Reader
	n int64
}

func (l *limited) Read(p []byte) (int, error) { return l.r.Read(p) }
