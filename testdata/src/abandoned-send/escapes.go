package abandonedsend

import (
	"sync"
	"time"
)

// Handed-off channels: once the channel leaves the function, someone else may
// receive from it, so none of these is reported even though the function
// itself never receives.

type watcher struct {
	mtimes map[string]time.Time
	since  time.Time
}

func (w *watcher) modified(path string) bool {
	return w.mtimes[path].After(w.since)
}

// Changes returns the channel; the caller ranges over it.
func (w *watcher) Changes(paths []string) <-chan string {
	changes := make(chan string)
	go func() {
		defer close(changes)
		for _, p := range paths {
			if w.modified(p) {
				changes <- p
			}
		}
	}()
	return changes
}

type job struct {
	id   string
	done chan error
}

type scheduler struct {
	run func(id string) error
}

// Start stores the channel in the job it returns; the caller waits on
// job.done.
func (s *scheduler) Start(id string) *job {
	done := make(chan error)
	j := &job{id: id, done: done}
	go func() {
		done <- s.run(id)
	}()
	return j
}

// RunAll passes the channel to firstError, which does the receiving.
func (s *scheduler) RunAll(ids []string) error {
	errs := make(chan error)
	for _, id := range ids {
		go func(id string) {
			errs <- s.run(id)
		}(id)
	}
	return firstError(errs, len(ids))
}

func firstError(errs <-chan error, n int) error {
	var first error
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

type pendingLoad struct {
	key   string
	ready chan []byte
}

type prefetcher struct {
	load    func(key string) []byte
	waiting chan pendingLoad
}

// Prefetch sends the channel on another channel; the consumer of p.waiting
// receives the data.
func (p *prefetcher) Prefetch(key string) {
	ready := make(chan []byte)
	go func() {
		ready <- p.load(key)
	}()
	p.waiting <- pendingLoad{key: key, ready: ready}
}

type broker struct {
	mu      sync.Mutex
	replies map[string]chan string
	compute func(id string) string
}

// Await stores the channel in a map field; Collect receives from it later.
func (b *broker) Await(id string) {
	reply := make(chan string)
	b.mu.Lock()
	b.replies[id] = reply
	b.mu.Unlock()
	go func() {
		reply <- b.compute(id)
	}()
}

// Collect receives the reply registered by Await.
func (b *broker) Collect(id string) (string, bool) {
	b.mu.Lock()
	reply, ok := b.replies[id]
	delete(b.replies, id)
	b.mu.Unlock()
	if !ok {
		return "", false
	}
	return <-reply, true
}
