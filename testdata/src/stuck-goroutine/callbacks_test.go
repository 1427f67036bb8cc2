package stuckgoroutine

import (
	"strings"
	"sync"
	"testing"
)

// A close inside a callback that a helper runs before it returns happens at
// the helper's call: a `t.Fatal` before the call leaves the goroutine
// blocked. A helper that keeps the callback may run it later: silent.

type hooks struct {
	mu     sync.Mutex
	onStop []func()
}

// locked runs fn with the lock held.
func (h *hooks) locked(fn func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fn()
}

// atStop keeps fn for Stop.
func (h *hooks) atStop(fn func()) {
	h.mu.Lock()
	h.onStop = append(h.onStop, fn)
	h.mu.Unlock()
}

// TestHooksFatal fails before the locked section that releases the waiter.
func TestHooksFatal(t *testing.T) {
	h := &hooks{}
	ready := make(chan struct{})
	go func() {
		<-ready // want "goroutine blocks forever receiving from ready: a path leaves without sending on it or closing it"
		_ = strings.ToUpper("go")
	}()
	if err := validate(""); err != nil {
		t.Fatal(err)
	}
	h.locked(func() { close(ready) })
}

// TestHooksLocked releases the waiter in the locked section on every path.
func TestHooksLocked(t *testing.T) {
	h := &hooks{}
	ready := make(chan struct{})
	go func() {
		<-ready
		_ = strings.ToUpper("go")
	}()
	h.locked(func() { close(ready) })
}

// TestHooksAtStop leaves the release to a hook that runs at some later Stop.
func TestHooksAtStop(t *testing.T) {
	h := &hooks{}
	ready := make(chan struct{})
	go func() {
		<-ready
		_ = strings.ToUpper("go")
	}()
	if err := validate(""); err != nil {
		t.Fatal(err)
	}
	h.atStop(func() { close(ready) })
}
