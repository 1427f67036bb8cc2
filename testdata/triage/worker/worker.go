// Package worker holds the leaks that the triage test finds in a goroutine
// dump of the running program, and their fixed look-alikes.
package worker

import (
	"context"
	"errors"
	"sync"
	"time"
)

func slow(q string) string {
	time.Sleep(20 * time.Millisecond)
	return q
}

// Lookup leaks its sender when ctx is done first.
func Lookup(ctx context.Context, q string) (string, error) {
	ch := make(chan string)
	go func() { ch <- slow(q) }()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// LookupFixed has room for the late answer.
func LookupFixed(ctx context.Context, q string) (string, error) {
	ch := make(chan string, 1)
	go func() { ch <- slow(q) }()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Process never closes jobs, so its consumer ranges forever.
func Process(items []string, save func(string)) {
	jobs := make(chan string)
	go func() {
		for j := range jobs {
			save(j)
		}
	}()
	for _, it := range items {
		jobs <- it
	}
}

// ProcessFixed closes jobs when done.
func ProcessFixed(items []string, save func(string)) {
	jobs := make(chan string)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for j := range jobs {
			save(j)
		}
	}()
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	<-done
}

var errInvalid = errors.New("invalid")

// Watch skips cancel on its error path, so the watcher waits forever.
func Watch(parent context.Context, valid bool) error {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		<-ctx.Done()
	}()
	if !valid {
		return errInvalid
	}
	cancel()
	return nil
}

// Guard is held by a goroutine that never lets go: no rule explains it.
var Guard sync.Mutex

// Contend waits for Guard.
func Contend() {
	Guard.Lock()
	defer Guard.Unlock()
}
