package ticker

import (
	"testing"
	"time"
)

func TestPoll(t *testing.T) {
	tk := time.NewTicker(time.Millisecond) // want `the ticker tk is not stopped on every path.*not a leak at go 1.23\+`
	<-tk.C
	if testing.Short() {
		return
	}
	tk.Stop()
}
