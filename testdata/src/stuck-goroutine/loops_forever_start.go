package stuckgoroutine

import "io"

// newFlusher starts a flusher per call; its loop never ends.
func newFlusher(w io.Writer) *flusher {
	f := &flusher{in: make(chan []byte), w: w}
	go f.loop()
	return f
}

// newStoppable starts a loop that ends when quit is closed.
func newStoppable(w io.Writer) *stoppable {
	s := &stoppable{in: make(chan []byte), quit: make(chan struct{}), w: w}
	go s.loop()
	return s
}
