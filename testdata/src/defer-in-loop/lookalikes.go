package deferinloop

// Look-alikes that must stay silent: the defer runs once per iteration's
// own function, the loop runs its body once, or nothing is released.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"time"
)

// The body moved into a func literal called per iteration: its defer runs
// at the end of each call.
func countLinesLiteral(paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			s := bufio.NewScanner(f)
			for s.Scan() {
				total++
			}
			return s.Err()
		}()
		if err != nil {
			return 0, err
		}
	}
	return total, nil
}

// The body moved into a named function.
func countLinesHelper(paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		n, err := countFile(p)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

func countFile(p string) (int, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	s := bufio.NewScanner(f)
	for s.Scan() {
		n++
	}
	return n, s.Err()
}

// The loop provably runs its body once: every pass that reaches the defer returns.
func openFirst(candidates []string) (*bufio.Reader, error) {
	for _, c := range candidates {
		f, err := os.Open(c)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return bufio.NewReader(f), nil
	}
	return nil, os.ErrNotExist
}

// A break after the defer ends the loop on its first pass.
func configFrom(dirs []string) string {
	var name string
	for _, d := range dirs {
		f, err := os.Open(d + "/app.toml")
		if err != nil {
			log.Printf("open: %v", err)
		}
		defer f.Close()
		name = f.Name()
		break
	}
	return name
}

// A retry loop that skips failing attempts with continue before the defer,
// and returns once it succeeds: the defer runs at most once.
func connectOnce(ctx context.Context, addrs []string, dial func(context.Context, string) error) error {
	for _, a := range addrs {
		if a == "" {
			continue
		}
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		return dial(ctx, a)
	}
	return nil
}

// Deferred calls that release nothing.
func traceAll(names []string) {
	for i, n := range names {
		defer fmt.Println("done", i, n)
		defer log.Printf("leaving %s", n)
	}
}

// A defer before the loop, and a release at the end of each iteration.
func explicitRelease(mu *sync.Mutex, paths []string) error {
	mu.Lock()
	defer mu.Unlock()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = f.Stat()
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// Goroutines started per iteration release in their own function.
func fanOut(wg *sync.WaitGroup, jobs []func()) {
	for _, j := range jobs {
		wg.Add(1)
		go func(j func()) {
			defer wg.Done()
			j()
		}(j)
	}
}

// A local func value named cancel that is not a context's cancel function.
func undoAll(steps []func() func()) {
	for _, s := range steps {
		cancel := s()
		defer cancel()
	}
}

// A method named Close on a value that is not released per iteration would
// still be reported; a method with another name is not a release.
type span struct{ name string }

func (s *span) Finish() {}

func traceSpans(names []string) {
	for _, n := range names {
		s := &span{name: n}
		defer s.Finish()
	}
}

// A one-shot guard: the timer is made, and its Stop deferred, on the first
// pass that needs it only.
func readUntil(deadlines []time.Time, read func() bool) bool {
	var timer *time.Timer
	for _, d := range deadlines {
		if timer == nil {
			timer = time.NewTimer(time.Until(d))
			defer timer.Stop()
		}
		timer.Reset(time.Until(d))
		if read() {
			return true
		}
	}
	return false
}

// Over a literal of two networks: two contexts at most.
func exchange(ctx context.Context, tcpOnly bool, dial func(context.Context, string) error) error {
	var networks []string
	if tcpOnly {
		networks = []string{"tcp"}
	} else {
		networks = []string{"udp", "tcp"}
	}
	for _, network := range networks {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if err := dial(ctx, network); err == nil {
			return nil
		}
	}
	return nil
}

// The fallback case waits on a one-shot timer: it runs once.
func race(ctx context.Context, results <-chan error, start func(context.Context)) error {
	fallback := time.NewTimer(300 * time.Millisecond)
	defer fallback.Stop()
	for {
		select {
		case <-fallback.C:
			fctx, fcancel := context.WithCancel(ctx)
			defer fcancel()
			go start(fctx)
		case err := <-results:
			return err
		}
	}
}

// Every file is kept open past the loop: the reader built after it reads
// them all, so closing at return is what the function needs.
func concatFiles(paths []string) ([]byte, error) {
	var readers []io.Reader
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		readers = append(readers, f)
	}
	return io.ReadAll(io.MultiReader(readers...))
}

// The same, stored in an element of a slice made before the loop.
func openAll(paths []string) (int, error) {
	files := make([]*os.File, len(paths))
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		files[i] = f
	}
	return len(files), nil
}

// Cleanup on the error path only: on success every listener stays open
// for the caller; on failure the defers close what was opened so far.
func listenAll(addrs []string) (ls []net.Listener, err error) {
	for _, a := range addrs {
		l, lerr := net.Listen("tcp", a)
		if lerr != nil {
			return nil, lerr
		}
		defer func() {
			if err == nil {
				return
			}
			l.Close()
		}()
		ls = append(ls, l)
	}
	return ls, nil
}

// The same guard written the other way round.
func dialEach(addrs []string) (cs []net.Conn, err error) {
	for _, a := range addrs {
		c, derr := net.Dial("tcp", a)
		if derr != nil {
			return nil, derr
		}
		defer func() {
			if err != nil {
				c.Close()
			}
		}()
		cs = append(cs, c)
	}
	return cs, nil
}
