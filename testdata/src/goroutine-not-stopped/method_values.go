package goroutinenotstopped

import "time"

// Goroutines started through a method value handed to a wrapper: the
// wrapper runs the method, so the method's loop is the goroutine's.

// withRecover runs fn, logging a panic instead of crashing.
func withRecover(fn func()) {
	defer func() { _ = recover() }()
	fn()
}

// The committer's loop waits on closing, and nothing closes it.
type committer struct {
	flush   func()
	ticker  *time.Ticker
	closing chan struct{}
}

func newCommitter(flush func()) *committer {
	c := &committer{flush: flush, ticker: time.NewTicker(time.Second), closing: make(chan struct{})}
	go withRecover(c.mainLoop)
	return c
}

func (c *committer) mainLoop() {
	defer c.ticker.Stop()
	for { // want `goroutine never ends: this loop leaves only when committer.closing is closed or sent on, and nothing in the package does either; committer has no Stop or Close method`
		select {
		case <-c.ticker.C:
			c.flush()
		case <-c.closing:
			return
		}
	}
}

// The fixed form: Close closes the channel the wrapped loop waits on (and
// the loop stops the ticker on its way out).
type offsets struct {
	flush   func()
	ticker  *time.Ticker
	closing chan struct{}
}

func newOffsets(flush func()) *offsets {
	o := &offsets{flush: flush, ticker: time.NewTicker(time.Second), closing: make(chan struct{})}
	go withRecover(o.mainLoop)
	return o
}

func (o *offsets) mainLoop() {
	defer o.ticker.Stop()
	for {
		select {
		case <-o.ticker.C:
			o.flush()
		case <-o.closing:
			return
		}
	}
}

func (o *offsets) Close() { close(o.closing) }

// A spawner given by the caller runs the method value too.
type tail struct {
	lines chan string
	stop  chan struct{}
}

func (t *tail) Start(spawn func(func())) {
	t.lines, t.stop = make(chan string), make(chan struct{})
	go spawn(t.loop)
}

func (t *tail) loop() {
	for { // want `goroutine never ends: this loop leaves only when tail.stop is closed or sent on`
		select {
		case l := <-t.lines:
			_ = l
		case <-t.stop:
			return
		}
	}
}

// The same, stopped.
type follow struct {
	lines chan string
	stop  chan struct{}
}

func (f *follow) Start(spawn func(func())) {
	f.lines, f.stop = make(chan string), make(chan struct{})
	go spawn(f.loop)
}

func (f *follow) loop() {
	for {
		select {
		case l := <-f.lines:
			_ = l
		case <-f.stop:
			return
		}
	}
}

func (f *follow) Stop() { close(f.stop) }

// register keeps the function for later and never calls it: the method
// value is not what the goroutine runs.
var registered []func()

func register(fn func()) { registered = append(registered, fn) }

type hook struct {
	in   chan int
	done chan struct{}
}

func newHook() *hook {
	h := &hook{in: make(chan int), done: make(chan struct{})}
	go register(h.drain)
	return h
}

func (h *hook) drain() {
	for {
		select {
		case v := <-h.in:
			_ = v
		case <-h.done:
			return
		}
	}
}

// The input channel is made here, kept in the field and returned: the
// caller that receives it closes it to stop the dispatcher.
type dispatcher struct {
	input chan string
}

func newDispatcher() chan<- string {
	input := make(chan string, 16)
	d := &dispatcher{input: input}
	go withRecover(d.dispatch)
	return input
}

func (d *dispatcher) dispatch() {
	for msg := range d.input {
		_ = msg
	}
}

// The same channel kept only in the field: nothing can close it.
type forwarder struct {
	input chan string
}

func newForwarder() *forwarder {
	input := make(chan string, 16)
	f := &forwarder{input: input}
	go withRecover(f.forward)
	return f
}

func (f *forwarder) forward() {
	for msg := range f.input { // want `goroutine never ends: this range over forwarder.input ends only when forwarder.input is closed, and nothing in the package closes it`
		_ = msg
	}
}

func (f *forwarder) Send(msg string) { f.input <- msg }
