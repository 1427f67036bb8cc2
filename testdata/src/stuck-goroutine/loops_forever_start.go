package stuckgoroutine

import "io"

// newDrainer starts a drainer per call; its loop never ends.
func newDrainer(w io.Writer) *drainer {
	f := &drainer{in: make(chan []byte), w: w}
	go f.loop()
	return f
}

// newStoppable starts a loop that ends when quit is closed.
func newStoppable(w io.Writer) *stoppable {
	s := &stoppable{in: make(chan []byte), quit: make(chan struct{}), w: w}
	go s.loop()
	return s
}
