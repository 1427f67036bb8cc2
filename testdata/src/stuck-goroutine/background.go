package stuckgoroutine

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Goroutines started from init run for the life of the process by design:
// they are not per-request leaks. An endless loop there is a note only; a
// range over a queue nobody closes is not reported at all.

var goroutineGauge atomic.Int64

var (
	auditMu    sync.Mutex
	auditLines []string
	auditQueue chan<- string
)

func init() {
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for { // want "goroutine never ends: this loop has no exit and no cancellation case \\(a note only: started from `init`, it runs for the life of the process by design\\)"
			<-t.C
			goroutineGauge.Store(int64(runtime.NumGoroutine()))
		}
	}()
}

func init() {
	q := make(chan string, 64)
	auditQueue = q
	go func() {
		for line := range q {
			auditMu.Lock()
			auditLines = append(auditLines, strings.TrimSpace(line))
			auditMu.Unlock()
		}
	}()
}

// audit queues one line for the process-wide audit writer.
func audit(line string) {
	auditQueue <- line
}
