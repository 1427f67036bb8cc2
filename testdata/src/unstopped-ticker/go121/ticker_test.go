package ticker

import (
	"testing"
	"time"
)

func TestPoll(t *testing.T) {
	tk := time.NewTicker(time.Millisecond) // want `the ticker tk is not stopped on every path`
	<-tk.C
	if testing.Short() {
		return
	}
	tk.Stop()
}
