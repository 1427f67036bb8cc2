package stuckgoroutine

import (
	"errors"
	"strings"
	"testing"
)

// A channel closed (or sent on) only on the success path: a `t.Fatal` or a
// `return` on the way leaves the goroutine blocked on it.

func validate(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("blank")
	}
	return nil
}

// TestWorkerFatal stops on a bad job before it closes the queue.
func TestWorkerFatal(t *testing.T) {
	jobs := make(chan string)
	go func() {
		for j := range jobs { // want "goroutine never ends: jobs is not closed on every path, so this range can block forever"
			_ = strings.ToUpper(j)
		}
	}()
	for _, j := range []string{"a", "b"} {
		if err := validate(j); err != nil {
			t.Fatal(err)
		}
		jobs <- j
	}
	close(jobs)
}

// TestWorkerDeferred closes the queue on every way out.
func TestWorkerDeferred(t *testing.T) {
	jobs := make(chan string)
	defer close(jobs)
	go func() {
		for j := range jobs {
			_ = strings.ToUpper(j)
		}
	}()
	for _, j := range []string{"a", "b"} {
		if err := validate(j); err != nil {
			t.Fatal(err)
		}
		jobs <- j
	}
}

// TestWorkerValidatedFirst fails before it starts the worker.
func TestWorkerValidatedFirst(t *testing.T) {
	for _, j := range []string{"a", "b"} {
		if err := validate(j); err != nil {
			t.Fatal(err)
		}
	}
	jobs := make(chan string)
	go func() {
		for j := range jobs {
			_ = strings.ToUpper(j)
		}
	}()
	for _, j := range []string{"a", "b"} {
		jobs <- j
	}
	close(jobs)
}

// TestReleaseOnSuccess signals the waiter only when set-up worked.
func TestReleaseOnSuccess(t *testing.T) {
	ready := make(chan struct{})
	go func() {
		<-ready // want "goroutine blocks forever receiving from ready: a path leaves without sending on it or closing it"
		_ = strings.ToUpper("go")
	}()
	if err := validate(""); err != nil {
		t.Fatalf("set-up: %v", err)
	}
	close(ready)
}
