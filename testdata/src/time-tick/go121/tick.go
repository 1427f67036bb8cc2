package timetick

import (
	"context"
	"net/http"
	"time"
)

func refresh() {}

// Positive: returns on ctx.Done, and the ticker lives on.
func pollUntilDone(ctx context.Context) {
	tick := time.Tick(time.Second) // want `the ticker started by time.Tick can never be stopped`
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			refresh()
		}
	}
}

// Positive: a new ticker on every iteration, even though the function never returns.
func spinForever(work <-chan int) {
	for {
		select {
		case <-work:
		case <-time.Tick(time.Second): // want `time.Tick runs on every iteration of this loop`
			refresh()
		}
	}
}

// Positive: per request.
func handler(w http.ResponseWriter, r *http.Request) {
	for range time.Tick(10 * time.Millisecond) { // want `can never be stopped`
		if r.Context().Err() != nil {
			break
		}
	}
	w.WriteHeader(http.StatusOK)
}

// Positive: an endless-looking loop with a return inside is not endless.
func pollWithReturn(done func() bool) {
	for range time.Tick(time.Second) { // want `can never be stopped`
		if done() {
			return
		}
	}
}

// Positive: a labelled break leaves the endless loop.
func pollWithLabel(stop <-chan struct{}) {
	tick := time.Tick(time.Second) // want `can never be stopped`
loop:
	for {
		select {
		case <-stop:
			break loop
		case <-tick:
			refresh()
		}
	}
}

// Positive: a method of a type created many times.
type worker struct{ quit chan struct{} }

func (w *worker) run() {
	t := time.Tick(time.Minute) // want `can never be stopped`
	for {
		select {
		case <-t:
			refresh()
		case <-w.quit:
			return
		}
	}
}

// Positive: a goroutine literal whose loop can end.
func startPoller(ctx context.Context) {
	go func() {
		for range time.Tick(time.Second) { // want `can never be stopped`
			if ctx.Err() != nil {
				return
			}
			refresh()
		}
	}()
}

// Negative: the fixed form.
func pollFixed(ctx context.Context) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			refresh()
		}
	}
}

// Negative: an endless loop; the ticker is wanted for as long as the function runs.
func pollForever() {
	for range time.Tick(time.Second) {
		refresh()
	}
}

// Negative: an endless select loop with no way out.
func pollForeverSelect(work <-chan int) {
	tick := time.Tick(time.Second)
	for {
		select {
		case <-work:
		case <-tick:
			refresh()
		}
	}
}

// Negative: a plain break leaves only the select; the loop is still endless.
func pollBreakSelect(work <-chan int) {
	tick := time.Tick(time.Second)
	for {
		select {
		case <-work:
			break
		case <-tick:
			refresh()
		}
	}
}

// Negative: the goroutine loops forever (a stuck-goroutine question, not this rule's).
func startForever() {
	go func() {
		for range time.Tick(time.Second) {
			refresh()
		}
	}()
}

// Negative: the channel is handed to the caller.
func ticks(d time.Duration) <-chan time.Time {
	return time.Tick(d)
}

// Negative: stored in a field of whoever holds it.
type clock struct{ c <-chan time.Time }

func (c *clock) start() {
	c.c = time.Tick(time.Second)
}

var global <-chan time.Time

// Negative: stored in a package variable.
func setGlobal() {
	global = time.Tick(time.Second)
}

// Negative: init runs once.
func init() {
	go func() {
		for range time.Tick(time.Hour) {
			refresh()
		}
	}()
	_ = time.Tick(time.Hour)
}

// Negative: a package-level ticker is created once.
var heartbeat = time.Tick(time.Second)

type fakeTime struct{}

func (fakeTime) Tick(time.Duration) <-chan time.Time { return nil }

// Negative: a method named Tick is not time.Tick.
func notTimeTick(ft fakeTime) {
	_ = ft.Tick(time.Second)
}

// Positive: the ticker's case leaves, but the other case goes round again.
func untilTick(work <-chan int) {
	for {
		select {
		case <-work:
		case <-time.Tick(time.Second): // want `time.Tick runs on every iteration of this loop`
			return
		}
	}
}

// Negative: an endless range over the variable holding the channel.
func statusForever(status func() string) {
	c := time.Tick(5 * time.Second)
	for next := range c {
		_ = next
		_ = status()
	}
}

// Positive: the same, with a return before the loop.
func statusUnlessDisabled(disabled bool, status func() string) {
	c := time.Tick(5 * time.Second) // want `can never be stopped`
	if disabled {
		return
	}
	for range c {
		_ = status()
	}
}

// Negative: a non-positive duration returns nil and starts no ticker.
func nilTick() bool {
	return time.Tick(-1) == nil
}
