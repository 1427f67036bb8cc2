package stuckgoroutine

import (
	"context"
	"io"
	"time"
)

// Loops that cannot end: a `break` in the cancellation case leaves only the
// select, and a range over a ticker's channel never ends since `Stop` does
// not close it.

type poller struct {
	wake chan struct{}
	poll func()
}

// Start breaks out of the select, not the loop, when ctx ends.
func (p *poller) Start(ctx context.Context) {
	go func() {
		for { // want "goroutine never ends: the `<-ctx.Done\\(\\)` case leaves only the select, not this loop"
			select {
			case <-ctx.Done():
				break
			case <-p.wake:
				p.poll()
			}
		}
	}()
}

// StartReturning returns from the cancellation case.
func (p *poller) StartReturning(ctx context.Context) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-p.wake:
				p.poll()
			}
		}
	}()
}

// StartLabelled breaks to a label on the loop.
func (p *poller) StartLabelled(ctx context.Context) {
	go func() {
	run:
		for {
			select {
			case <-ctx.Done():
				break run
			case <-p.wake:
				p.poll()
			}
		}
	}()
}

type reporter struct {
	stop func()
}

// newReporter ranges over a ticker: stopping the ticker leaves the
// goroutine waiting for a tick that never comes.
func newReporter(d time.Duration, flush func()) *reporter {
	t := time.NewTicker(d) // want "a goroutine waits on the ticker t forever"
	go func() {
		for range t.C { // one leak: reported once, by unstopped-ticker above
			flush()
		}
	}()
	return &reporter{stop: t.Stop}
}

// newStoppableReporter selects on a done channel beside the ticks.
func newStoppableReporter(d time.Duration, flush func()) *reporter {
	t := time.NewTicker(d)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				flush()
			case <-done:
				return
			}
		}
	}()
	return &reporter{stop: func() { t.Stop(); close(done) }}
}

// newBoundedReporter returns after a fixed number of ticks.
func newBoundedReporter(d time.Duration, flush func()) {
	t := time.NewTicker(d)
	go func() {
		n := 0
		for range t.C {
			flush()
			if n++; n == 10 {
				t.Stop()
				return
			}
		}
	}()
}

// drainer drains its input forever; it is started from another file.
type drainer struct {
	in chan []byte
	w  io.Writer
}

func (f *drainer) loop() {
	for { // want "goroutine never ends: this loop has no exit and no cancellation case"
		select {
		case b := <-f.in:
			_, _ = f.w.Write(b)
		}
	}
}

// stoppable is started the same way, and returns when Stop closes quit.
type stoppable struct {
	in   chan []byte
	quit chan struct{}
	w    io.Writer
}

func (s *stoppable) loop() {
	for {
		select {
		case b := <-s.in:
			_, _ = s.w.Write(b)
		case <-s.quit:
			return
		}
	}
}

// Stop ends the loop.
func (s *stoppable) Stop() { close(s.quit) }
