// Package closers holds release helpers used from another package of the module.
package closers

import (
	"io"
	"log"
)

// Close closes c and logs a failure.
func Close(c io.Closer) {
	if err := c.Close(); err != nil {
		log.Printf("close: %v", err)
	}
}

// Drain reads body to the end and closes it, so the connection is reused.
func Drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, body)
	_ = body.Close()
}
