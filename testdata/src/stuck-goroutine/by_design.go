package stuckgoroutine

import (
	"sync"
	"time"
)

// Goroutines that run for the life of the process by design: their endless
// loops are notes, not warnings. Each says why it is only a note.

type heartbeat struct {
	beat func()
	tick <-chan time.Time
}

var (
	defaultBeatOnce sync.Once
	defaultBeat     *heartbeat
)

// startDefaultBeat starts the process-wide heartbeat once.
func startDefaultBeat(beat func(), tick <-chan time.Time) *heartbeat {
	defaultBeatOnce.Do(func() {
		defaultBeat = &heartbeat{beat: beat, tick: tick}
		go func() {
			for { // want "goroutine never ends: this loop has no exit and no cancellation case \\(a note only: started inside `once.Do`"
				<-defaultBeat.tick
				defaultBeat.beat()
			}
		}()
	})
	return defaultBeat
}

// Start beats for the life of the process.
func (h *heartbeat) Start() {
	go h.beatForever()
}

func (h *heartbeat) beatForever() {
	for { // want "goroutine never ends: this loop has no exit and no cancellation case \\(a note only: the code says this loop runs forever"
		<-h.tick
		h.beat()
	}
}

// StartCommented starts a loop whose comment says it never stops.
func (h *heartbeat) StartCommented() {
	// Runs for the life of the process: the daemon never stops beating.
	go func() {
		for { // want "a note only: the code says this loop runs forever"
			<-h.tick
			h.beat()
		}
	}()
}

// StartLabelled starts a loop labelled as endless.
func (h *heartbeat) StartLabelled() {
	go func() {
	forever:
		for { // want "a note only: the code says this loop runs forever"
			select {
			case <-h.tick:
				h.beat()
				continue forever
			}
		}
	}()
}

// StartPerCall is the same loop with nothing that says it is meant to run
// forever: started per call, a warning.
func (h *heartbeat) StartPerCall() {
	go func() {
		for { // want "goroutine never ends: this loop has no exit and no cancellation case$"
			<-h.tick
			h.beat()
		}
	}()
}

// defaultTicker's goroutine is started by a package-level initialiser.
var defaultTicker = func() *heartbeat {
	h := &heartbeat{beat: func() {}, tick: make(chan time.Time)}
	go func() {
		for { // want "a note only: started by a package-level initialiser"
			<-h.tick
			h.beat()
		}
	}()
	return h
}()

