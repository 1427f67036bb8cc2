package stuckgoroutine

import (
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"time"
)

// Look-alikes of the shapes above that are not leaks: workers that serve the
// whole process, signal forwarders, and channels that someone else holds.

type ingressJob struct {
	name string
}

var ingressJobs chan ingressJob

type daemon struct {
	setup func(name string)
	once  sync.Once
	evict func()
}

// startIngressWorker serves a package-level queue: one worker for the whole
// process, started once.
func (d *daemon) startIngressWorker() {
	ingressJobs = make(chan ingressJob, 100)
	go func() {
		for {
			j := <-ingressJobs
			d.setup(j.name)
		}
	}()
}

// startJanitor starts its loop inside once.Do: it runs once per process, so
// its endless loop is a note only.
func (d *daemon) startJanitor() {
	d.once.Do(func() {
		go func() {
			t := time.NewTicker(time.Minute)
			defer t.Stop()
			for { // want "a note only: started inside `once.Do`"
				<-t.C
				d.evict()
			}
		}()
	})
}

// forwardSignals relays every signal to the child for as long as this
// process lives.
func forwardSignals(cmd *exec.Cmd) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs)
	go func() {
		for {
			sig := <-sigs
			_ = cmd.Process.Signal(sig)
		}
	}()
}

type pipe struct {
	out chan string
}

func (p *pipe) write(s string) {
	p.out <- s
}

// relayOnce hands the channel to a pipe, and the pipe's writer sends on it.
func relayOnce(logf func(format string, args ...any)) {
	replies := make(chan string)
	go func() {
		r := <-replies
		logf("reply: %s", r)
	}()
	p := &pipe{out: replies}
	p.write("ready")
}

type tee struct {
	status chan string
}

// Status gives callers the channel, and they close it when they are done.
func (t *tee) Status() chan string {
	return t.status
}

// newTee stores the channel in an unexported field, but Status hands the
// field out, so whoever holds it may close it.
func newTee(emit func(string)) *tee {
	st := make(chan string)
	t := &tee{status: st}
	go func() {
		for v := range st {
			emit(v)
		}
	}()
	return t
}

// finishTee sends one line and closes the tee's channel through Status.
func finishTee(emit func(string)) {
	t := newTee(emit)
	t.Status() <- "done"
	close(t.Status())
}
