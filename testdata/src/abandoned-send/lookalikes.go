package abandonedsend

import (
	"errors"
	"sync/atomic"
	"time"
)

// Look-alikes of the shapes above that do not leak: the counts, the order of
// a deferred receive, or a condition shared by the start and the receive
// make every value taken.

type warmer struct {
	warm func(i int)
}

// WarmTwo starts a fixed two goroutines and takes both values.
func (w *warmer) WarmTwo() {
	ready := make(chan struct{})
	for i := 0; i < 2; i++ {
		go func(i int) {
			w.warm(i)
			ready <- struct{}{}
		}(i)
	}
	<-ready
	<-ready
}

// WarmThree starts three goroutines but takes only two values.
func (w *warmer) WarmThree() {
	ready := make(chan struct{})
	for i := 0; i < 3; i++ {
		go func(i int) {
			w.warm(i)
			ready <- struct{}{} // want "goroutines block forever sending on ready: 3 senders but the function stops receiving early"
		}(i)
	}
	<-ready
	<-ready
}

// WarmAll lets only the last goroutine to finish report, so one value is sent.
func (w *warmer) WarmAll(n int) {
	var started int32
	last := make(chan struct{})
	for i := 0; i < n; i++ {
		go func(i int) {
			w.warm(i)
			if atomic.AddInt32(&started, 1) == int32(n) {
				last <- struct{}{}
			}
		}(i)
	}
	<-last
}

type pool struct {
	workers []func() error
	logf    func(format string, args ...any)
}

// Wait counts the workers down and returns only once the last one reported.
func (p *pool) Wait() error {
	errs := make(chan error)
	for _, run := range p.workers {
		go func(run func() error) {
			errs <- run()
		}(run)
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var first error
	active := len(p.workers)
	for {
		select {
		case err := <-errs:
			if first == nil {
				first = err
			}
			active--
			if active == 0 {
				return first
			}
		case <-tick.C:
			p.logf("%d workers still running", active)
		}
	}
}

var errNotReady = errors.New("not ready")

// Probe registers the receive before it starts the goroutine: every return,
// including the early one, waits for the value.
func (p *pool) Probe(ready bool) error {
	done := make(chan error)
	defer func() { <-done }()
	go func() {
		done <- p.workers[0]()
	}()
	if !ready {
		return errNotReady
	}
	return nil
}

type exporter struct {
	async  bool
	export func() int
}

// Flush starts the export and later takes its count under the same condition.
func (e *exporter) Flush() int {
	var counts chan int
	if e.async {
		counts = make(chan int)
		go func() {
			counts <- e.export()
		}()
	}
	total := 0
	if e.async {
		total = <-counts
	}
	return total
}

// Accept closes the channel when it returns. A late send then panics instead
// of blocking: a crash rather than a leak, so this rule says nothing.
func (p *pool) Accept(timeout time.Duration) error {
	accepted := make(chan error)
	defer close(accepted)
	go func() {
		accepted <- p.workers[0]()
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case err := <-accepted:
		return err
	case <-timer.C:
		return errNotReady
	}
}
