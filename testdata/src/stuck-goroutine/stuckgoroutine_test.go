package stuckgoroutine

import (
	"runtime"
	"testing"
	"time"
)

// TestMain runs once per test binary: its sampler goroutine is not a leak.
func TestMain(m *testing.M) {
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for { // want "a note only: started from `TestMain`"
			<-t.C
			goroutineGauge.Store(int64(runtime.NumGoroutine()))
		}
	}()
	m.Run()
}

// TestShrinkStream starts a worker per test run and never closes its input.
func TestShrinkStream(t *testing.T) {
	inputs := make(chan string)
	outputs := make(chan string)
	go func() {
		for in := range inputs { // want "goroutine never ends: inputs is never closed, so this range blocks forever"
			outputs <- shrink(in)
		}
	}()
	for _, name := range []string{"a.png", "b.png"} {
		inputs <- name
		if got := <-outputs; got != "thumb-"+name {
			t.Errorf("shrink(%q) = %q", name, got)
		}
	}
}

// TestShrinkStreamClosed closes the input when the test is done with it.
func TestShrinkStreamClosed(t *testing.T) {
	inputs := make(chan string)
	outputs := make(chan string)
	defer close(inputs)
	go func() {
		for in := range inputs {
			outputs <- shrink(in)
		}
	}()
	for _, name := range []string{"a.png", "b.png"} {
		inputs <- name
		if got := <-outputs; got != "thumb-"+name {
			t.Errorf("shrink(%q) = %q", name, got)
		}
	}
}

func TestAudit(t *testing.T) {
	audit("test started")
}
