package deferinloop

// Loops whose defers run a bounded number of times by construction, beside
// the look-alikes that pile up.

import (
	"context"
	"net"
	"os"
	"sync"
	"time"
)

type logNode struct {
	mu     sync.Mutex
	done   bool
	parent *logNode
	output []string
}

// Each ancestor is locked in turn and all stay locked until the message is
// placed: holding them together is the point, and none is locked twice.
func (n *logNode) logUp(s string) {
	for p := n.parent; p != nil; p = p.parent {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.done {
			p.output = append(p.output, s)
			return
		}
	}
}

type shardSet struct {
	shards []*logNode
}

// Lock every shard, then work on all of them at once.
func (s *shardSet) snapshot() int {
	for _, sh := range s.shards {
		sh.mu.Lock()
		defer sh.mu.Unlock()
	}
	total := 0
	for _, sh := range s.shards {
		total += len(sh.output)
	}
	return total
}

var chainMu sync.Mutex

// The same mutex on every step of the walk: the second pass deadlocks.
func (n *logNode) depthLocked() int {
	d := 0
	for p := n; p != nil; p = p.parent {
		chainMu.Lock()
		defer chainMu.Unlock() // want "`chainMu.Unlock\\(\\)` is deferred inside a loop: the lock each iteration takes is held"
		d++
	}
	return d
}

// Two networks, declared on one line.
func dialBoth(ctx context.Context, addr string) (net.Conn, error) {
	networks := []string{"tcp4", "tcp6"}
	var d net.Dialer
	for _, network := range networks {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if c, err := d.DialContext(ctx, network, addr); err == nil {
			return c, nil
		}
	}
	return nil, context.DeadlineExceeded
}

// The same with a var declaration.
func dialEither(ctx context.Context, addr string) (net.Conn, error) {
	var networks = [...]string{"udp", "tcp"}
	var d net.Dialer
	for _, network := range networks {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if c, err := d.DialContext(ctx, network, addr); err == nil {
			return c, nil
		}
	}
	return nil, context.DeadlineExceeded
}

// A literal that grows before the loop is not few.
func dialAll(ctx context.Context, addr string, extra []string) error {
	networks := []string{"tcp"}
	networks = append(networks, extra...)
	var d net.Dialer
	for _, network := range networks {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want "`cancel\\(\\)` is deferred inside a loop: the context each iteration derives stays alive"
		if c, err := d.DialContext(ctx, network, addr); err == nil {
			return c.Close()
		}
	}
	return nil
}

type raceResult struct {
	primary bool
	err     error
}

// The fallback fires once: the timer is re-armed only after a Stop that
// caught it before it fired.
func dialRace(ctx context.Context, results <-chan raceResult, start func(context.Context, bool)) error {
	fallback := time.NewTimer(300 * time.Millisecond)
	defer fallback.Stop()
	for {
		select {
		case <-fallback.C:
			fctx, fcancel := context.WithCancel(ctx)
			defer fcancel()
			go start(fctx, false)
		case res := <-results:
			if res.err == nil {
				return nil
			}
			if res.primary && fallback.Stop() {
				fallback.Reset(0)
			}
		}
	}
}

// Re-armed after every firing: a new context on every tick.
func pollEvery(ctx context.Context, poll func(context.Context) bool) {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			pctx, pcancel := context.WithTimeout(ctx, time.Second)
			defer pcancel() // want "`pcancel\\(\\)` is deferred inside a loop"
			if poll(pctx) {
				return
			}
			t.Reset(time.Second)
		case <-ctx.Done():
			return
		}
	}
}

type writeRequest struct {
	payload []byte
	errc    chan error
}

// The writer answers the one request once: the case runs once.
func roundTrip(ctx context.Context, writes chan<- writeRequest, replies <-chan []byte, payload []byte, d time.Duration) ([]byte, error) {
	writeErr := make(chan error, 1)
	writes <- writeRequest{payload, writeErr}
	var headerTimeout <-chan time.Time
	for {
		select {
		case err := <-writeErr:
			if err != nil {
				return nil, err
			}
			if d > 0 {
				timer := time.NewTimer(d)
				defer timer.Stop()
				headerTimeout = timer.C
			}
		case <-headerTimeout:
			return nil, context.DeadlineExceeded
		case r := <-replies:
			return r, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// One error channel for every request: its case runs once per request.
func writeAll(writes chan<- writeRequest, payloads [][]byte, d time.Duration) error {
	errc := make(chan error, 1)
	for _, p := range payloads {
		writes <- writeRequest{p, errc}
	}
	for {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
			timer := time.NewTimer(d)
			defer timer.Stop() // want "`timer.Stop\\(\\)` is deferred inside a loop: what each iteration started keeps running"
		}
	}
}

// The closers were opened before the loop: each is held until the function
// returns whether or not its Close is deferred here.
func closeAfter(run func(), closers ...interface{ Close() error }) {
	for _, c := range closers {
		defer c.Close()
	}
	run()
}

// Each iteration opens what it defers: those pile up.
func openEach(paths []string, use func(*os.File)) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // want "`f.Close\\(\\)` is deferred inside a loop: what each iteration opened stays open"
		use(f)
	}
	return nil
}
