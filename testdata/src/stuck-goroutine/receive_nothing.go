package stuckgoroutine

import (
	"context"
	"net/http"
	"sync"
)

// A goroutine receives from a channel the function made, and nothing sends on
// that channel or closes it.

type callRequest struct {
	id string
}

type callResponse struct {
	body string
}

type client struct {
	mu       sync.Mutex
	inflight map[string]bool
	do       func(ctx context.Context, req callRequest) (callResponse, error)
}

func (c *client) release(id string) {
	c.mu.Lock()
	delete(c.inflight, id)
	c.mu.Unlock()
}

// Call frees the in-flight slot from a helper goroutine that waits for
// finished, but nothing ever closes finished.
func (c *client) Call(ctx context.Context, req callRequest) (callResponse, error) {
	finished := make(chan struct{})
	go func() {
		<-finished // want "goroutine blocks forever receiving from finished: nothing sends on it or closes it"
		c.release(req.id)
	}()
	c.mu.Lock()
	c.inflight[req.id] = true
	c.mu.Unlock()
	return c.do(ctx, req)
}

// CallReleasing closes finished on every return.
func (c *client) CallReleasing(ctx context.Context, req callRequest) (callResponse, error) {
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		<-finished
		c.release(req.id)
	}()
	c.mu.Lock()
	c.inflight[req.id] = true
	c.mu.Unlock()
	return c.do(ctx, req)
}

type runner struct {
	logf func(format string, args ...any)
}

// logWhenDone is started as a goroutine and logs the job's outcome once it
// arrives.
func logWhenDone(id string, outcome <-chan error, logf func(format string, args ...any)) {
	if err := <-outcome; err != nil { // want "goroutine blocks forever receiving from outcome: nothing sends on it or closes it"
		logf("job %s failed: %v", id, err)
	}
}

// Submit wires a logger for the outcome and then returns the outcome to the
// caller instead of sending it.
func (r *runner) Submit(id string, job func() error) error {
	outcome := make(chan error)
	go logWhenDone(id, outcome, r.logf)
	return job()
}

// SubmitLogged sends the outcome to the logger: it adds no report to
// logWhenDone's receive.
func (r *runner) SubmitLogged(id string, job func() error) error {
	outcome := make(chan error)
	go logWhenDone(id, outcome, r.logf)
	err := job()
	outcome <- err
	return err
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

type metrics struct {
	mu    sync.Mutex
	codes map[string][]int
}

func (m *metrics) record(path string, code int) {
	m.mu.Lock()
	m.codes[path] = append(m.codes[path], code)
	m.mu.Unlock()
}

// wrap records the status from a goroutine that waits for it, but the
// handler never sends it. The function that made status is the handler
// literal, and that is the function to search for sends and closes.
func (m *metrics) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := make(chan int)
		go func() {
			code := <-status // want "goroutine blocks forever receiving from status: nothing sends on it or closes it"
			m.record(r.URL.Path, code)
		}()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
	})
}

// wrapReporting sends the status once the handler is done.
func (m *metrics) wrapReporting(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := make(chan int)
		go func() {
			code := <-status
			m.record(r.URL.Path, code)
		}()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		status <- rec.code
	})
}
