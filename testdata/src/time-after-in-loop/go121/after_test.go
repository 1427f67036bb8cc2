package timeafter

import (
	"testing"
	"time"
)

// Positive, as a note: a test loop that leaves a timer behind per message.
func TestDrain(t *testing.T) {
	in := make(chan string)
	close(in)
	for {
		select {
		case _, ok := <-in:
			if !ok {
				return
			}
		case <-time.After(time.Second): // want `new timer on every iteration`
			t.Fatal("timeout")
		}
	}
}
