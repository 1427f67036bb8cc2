package stuckgoroutine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// A goroutine loops forever: no case returns or breaks out of the loop, and
// no context, done or quit channel can end it.

var errFatal = errors.New("fatal")

type streamHandler struct {
	events func() []string
}

// ServeHTTP streams the events with a keepalive comment every few seconds.
// The keepalive goroutine has no way out, so it outlives every request.
func (h *streamHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var mu sync.Mutex
	go func() {
		t := time.NewTicker(5 * time.Second) // want "a goroutine waits on the ticker t forever"
		defer t.Stop()
		for { // want "goroutine never ends: this loop has no exit and no cancellation case"
			<-t.C
			mu.Lock()
			fmt.Fprint(w, ": keepalive\n\n")
			mu.Unlock()
		}
	}()
	for _, ev := range h.events() {
		mu.Lock()
		fmt.Fprintf(w, "data: %s\n\n", ev)
		mu.Unlock()
	}
}

// serveWithKeepalive stops the keepalive when the request's context ends,
// which the server does once the handler returns.
func (h *streamHandler) serveWithKeepalive(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var mu sync.Mutex
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				mu.Lock()
				fmt.Fprint(w, ": keepalive\n\n")
				mu.Unlock()
			case <-ctx.Done():
				return
			}
		}
	}()
	for _, ev := range h.events() {
		mu.Lock()
		fmt.Fprintf(w, "data: %s\n\n", ev)
		mu.Unlock()
	}
}

type metric struct {
	name  string
	value float64
}

type aggregator struct {
	publish func(sum float64)
}

// Track sums metrics and publishes them once a second, forever: nothing can
// stop the loop, not even closing events.
func (a *aggregator) Track(events <-chan metric) {
	go func() {
		t := time.NewTicker(time.Second) // want "a goroutine waits on the ticker t forever"
		defer t.Stop()
		var sum float64
		for { // want "goroutine never ends: this loop has no exit and no cancellation case"
			select {
			case m := <-events:
				sum += m.value
			case <-t.C:
				a.publish(sum)
				sum = 0
			}
		}
	}()
}

// TrackUntil leaves when ctx ends or events is closed.
func (a *aggregator) TrackUntil(ctx context.Context, events <-chan metric) {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		var sum float64
		for {
			select {
			case <-ctx.Done():
				a.publish(sum)
				return
			case m, ok := <-events:
				if !ok {
					a.publish(sum)
					return
				}
				sum += m.value
			case <-t.C:
				a.publish(sum)
				sum = 0
			}
		}
	}()
}

type peer struct {
	pong chan time.Time
	quit chan struct{}
	ping func() error
	mu   sync.Mutex
	last time.Time
}

func (p *peer) record(at time.Time) {
	p.mu.Lock()
	p.last = at
	p.mu.Unlock()
}

// heartbeat is started as a goroutine by Connect; it has no way out.
func (p *peer) heartbeat() {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for { // want "goroutine never ends: this loop has no exit and no cancellation case"
		select {
		case at := <-p.pong:
			p.record(at)
		case <-t.C:
			_ = p.ping()
		}
	}
}

// Connect starts one heartbeat per connection.
func (p *peer) Connect() {
	go p.heartbeat()
}

// heartbeatUntilQuit leaves when quit is closed.
func (p *peer) heartbeatUntilQuit() {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case at := <-p.pong:
			p.record(at)
		case <-t.C:
			_ = p.ping()
		}
	}
}

// ConnectStoppable starts the heartbeat that Disconnect ends.
func (p *peer) ConnectStoppable() {
	go p.heartbeatUntilQuit()
}

// Disconnect ends the heartbeat.
func (p *peer) Disconnect() {
	close(p.quit)
}

type request struct {
	tenant string
	body   string
}

type tenantQueue struct {
	reqs chan request
}

// openTenant starts a dispatcher per tenant that receives forever.
func openTenant(handle func(request)) *tenantQueue {
	q := &tenantQueue{reqs: make(chan request, 32)}
	go func() {
		for { // want "goroutine never ends: this loop has no exit and no cancellation case"
			req := <-q.reqs
			handle(req)
		}
	}()
	return q
}

type stoppableQueue struct {
	reqs chan request
	stop chan struct{}
}

// openStoppableTenant leaves its loop with a labelled break once stop is
// closed.
func openStoppableTenant(handle func(request)) *stoppableQueue {
	q := &stoppableQueue{reqs: make(chan request, 32), stop: make(chan struct{})}
	go func() {
	loop:
		for {
			select {
			case req := <-q.reqs:
				handle(req)
			case <-q.stop:
				break loop
			}
		}
	}()
	return q
}

// Stop ends the dispatcher.
func (q *stoppableQueue) Stop() {
	close(q.stop)
}

// watchErrors logs transient errors and returns on the first fatal one.
func watchErrors(errs <-chan error, logf func(format string, args ...any)) {
	go func() {
		for {
			err := <-errs
			if errors.Is(err, errFatal) {
				return
			}
			logf("transient: %v", err)
		}
	}()
}

// warmUp pings a few times and stops: the loop is bounded.
func warmUp(ping func()) {
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; i < 5; i++ {
			<-t.C
			ping()
		}
	}()
}
