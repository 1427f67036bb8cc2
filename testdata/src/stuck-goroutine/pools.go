package stuckgoroutine

import (
	"net"
	"sync"
)

// Worker pools reuse their goroutines by design: each worker takes jobs from
// a channel the long-lived pool owns, until the pool's Close or Stop ends
// it. None of these is a leak.

// workerPool's workers range over the queue that Close closes.
type workerPool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func newWorkerPool(n int) *workerPool {
	jobs := make(chan func())
	p := &workerPool{jobs: jobs}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for job := range jobs {
				job()
			}
		}()
	}
	return p
}

// Submit queues a job for the next free worker.
func (p *workerPool) Submit(job func()) { p.jobs <- job }

// Close ends every worker once the queue is drained.
func (p *workerPool) Close() {
	close(p.jobs)
	p.wg.Wait()
}

// sentinelPool's Stop sends each worker a nil job, on which it returns.
type sentinelPool struct {
	jobs chan func()
	size int
}

func newSentinelPool(n int) *sentinelPool {
	jobs := make(chan func())
	p := &sentinelPool{jobs: jobs, size: n}
	for i := 0; i < n; i++ {
		go func() {
			for job := range jobs {
				if job == nil {
					return
				}
				job()
			}
		}()
	}
	return p
}

// Stop ends each worker with a nil job.
func (p *sentinelPool) Stop() {
	for i := 0; i < p.size; i++ {
		p.jobs <- nil
	}
}

// methodPool's workers are a method ranging over the pool's field.
type methodPool struct {
	work chan net.Conn
	serve func(net.Conn)
}

func newMethodPool(n int, serve func(net.Conn)) *methodPool {
	p := &methodPool{work: make(chan net.Conn), serve: serve}
	for i := 0; i < n; i++ {
		go p.worker()
	}
	return p
}

func (p *methodPool) worker() {
	for c := range p.work {
		p.serve(c)
	}
}

// Close ends the workers.
func (p *methodPool) Close() { close(p.work) }

// parkingPool keeps idle workers parked on a channel of their own, handed
// out again for the next connection; Stop sends each parked worker nil.
type parkingPool struct {
	mu    sync.Mutex
	ready []*parkedWorker
	serve func(net.Conn)
}

type parkedWorker struct {
	ch chan net.Conn
}

func (p *parkingPool) get() *parkedWorker {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.ready); n > 0 {
		w := p.ready[n-1]
		p.ready = p.ready[:n-1]
		return w
	}
	w := &parkedWorker{ch: make(chan net.Conn, 1)}
	go func() {
		for c := range w.ch {
			if c == nil {
				return
			}
			p.serve(c)
			p.mu.Lock()
			p.ready = append(p.ready, w)
			p.mu.Unlock()
		}
	}()
	return w
}

// Stop ends every parked worker.
func (p *parkingPool) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.ready {
		w.ch <- nil
	}
	p.ready = nil
}

// selectPool's workers select on the queue and the pool's quit channel.
type selectPool struct {
	jobs chan func()
	quit chan struct{}
}

func newSelectPool(n int) *selectPool {
	p := &selectPool{jobs: make(chan func()), quit: make(chan struct{})}
	for i := 0; i < n; i++ {
		go func() {
			for {
				select {
				case job := <-p.jobs:
					job()
				case <-p.quit:
					return
				}
			}
		}()
	}
	return p
}

// Close ends the workers.
func (p *selectPool) Close() { close(p.quit) }
