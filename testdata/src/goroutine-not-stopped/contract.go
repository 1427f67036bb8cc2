package goroutinenotstopped

// Start without Stop: the worker's loop waits for a done channel that
// nothing in the package ever closes (the "method contract violation").

type worker struct {
	jobs chan func()
	done chan struct{}
}

func newWorker() *worker {
	return &worker{jobs: make(chan func()), done: make(chan struct{})}
}

func (w *worker) Start() {
	go func() {
		for { // want `goroutine never ends: this loop leaves only when worker.done is closed or sent on, and nothing in the package does either; worker has no Stop or Close method`
			select {
			case job := <-w.jobs:
				job()
			case <-w.done:
				return
			}
		}
	}()
}

func (w *worker) Submit(job func()) { w.jobs <- job }

// The fixed form: Stop closes the channel the loop waits on.
type pool struct {
	jobs chan func()
	done chan struct{}
}

func newPool() *pool {
	return &pool{jobs: make(chan func()), done: make(chan struct{})}
}

func (p *pool) Start() {
	go func() {
		for {
			select {
			case job := <-p.jobs:
				job()
			case <-p.done:
				return
			}
		}
	}()
}

func (p *pool) Stop() { close(p.done) }

// Stop closes another channel than the one the loop waits on.
type relay struct {
	in   chan string
	quit chan struct{}
	done chan struct{}
}

func newRelay() *relay {
	r := &relay{in: make(chan string), quit: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r
}

func (r *relay) run() {
	for { // want `goroutine never ends: this loop leaves only when relay.done is closed or sent on`
		select {
		case s := <-r.in:
			_ = s
		case <-r.done:
			return
		}
	}
}

func (r *relay) Stop() { close(r.quit) }

// Stop sets a flag the loop never looks at.
type beat struct {
	stopped bool
	stop    chan bool
}

func startBeat() *beat {
	b := &beat{stop: make(chan bool)}
	go func() {
		for { // want `this loop leaves only when beat.stop is closed or sent on`
			select {
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

func (b *beat) Stop() { b.stopped = true }

// A channel the caller passes in: the caller stops it.
type listener struct {
	events chan int
	done   <-chan struct{}
}

func newListener(done <-chan struct{}) *listener {
	l := &listener{events: make(chan int), done: done}
	go func() {
		for {
			select {
			case <-l.events:
			case <-l.done:
				return
			}
		}
	}()
	return l
}

// An exit that does not depend on the object: the loop ends on an error.
type reader struct {
	done chan struct{}
	next func() error
	tick chan int
}

func newReader(next func() error) *reader {
	r := &reader{done: make(chan struct{}), next: next, tick: make(chan int)}
	go func() {
		for {
			select {
			case <-r.tick:
				if err := r.next(); err != nil {
					return
				}
			case <-r.done:
				return
			}
		}
	}()
	return r
}
