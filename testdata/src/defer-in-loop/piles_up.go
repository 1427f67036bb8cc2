package deferinloop

// Deferred releases inside a loop body: each one waits for the function to
// return, so they pile up with the iterations.

import (
	"bufio"
	"context"
	"database/sql"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

func countLines(paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close() // want "`f.Close\\(\\)` is deferred inside a loop: what each iteration opened stays open"
		s := bufio.NewScanner(f)
		for s.Scan() {
			total++
		}
	}
	return total, nil
}

func fetchAll(c *http.Client, urls []string) ([]int, error) {
	var sizes []int
	for _, u := range urls {
		resp, err := c.Get(u)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close() // want "`resp.Body.Close\\(\\)` is deferred inside a loop"
		sizes = append(sizes, int(resp.ContentLength))
	}
	return sizes, nil
}

type shard struct {
	mu    sync.Mutex
	items map[string]int
}

// The same mutex is locked again on the next iteration while the deferred
// unlock still waits: the second pass deadlocks.
func (s *shard) addAll(keys []string) {
	for _, k := range keys {
		s.mu.Lock()
		defer s.mu.Unlock() // want "`s.mu.Unlock\\(\\)` is deferred inside a loop: the lock each iteration takes is held"
		s.items[k]++
	}
}

func pollWithDeadlines(parent context.Context, db *sql.DB, ids []int64) error {
	for _, id := range ids {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel() // want "`cancel\\(\\)` is deferred inside a loop: the context each iteration derives stays alive"
		if _, err := db.ExecContext(ctx, "UPDATE jobs SET seen = now() WHERE id = $1", id); err != nil {
			return err
		}
	}
	return nil
}

// A consumer that lives as long as the process: its deferred cancels never run.
func consume(parent context.Context, msgs <-chan string, handle func(context.Context, string)) {
	for {
		select {
		case m := <-msgs:
			ctx, cancel := context.WithTimeout(parent, 5*time.Second)
			defer cancel() // want "`cancel\\(\\)` is deferred inside a loop and no path from it returns from the function, so it never runs"
			handle(ctx, m)
		}
	}
}

func retryTicks(attempts int, try func() bool) bool {
	for i := 0; i < attempts; i++ {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop() // want "`t.Stop\\(\\)` is deferred inside a loop: what each iteration started keeps running"
		<-t.C
		if try() {
			return true
		}
	}
	return false
}

func unpackAll(archives []string, unpack func(src, dir string) error) error {
	for _, a := range archives {
		dir, err := os.MkdirTemp("", "unpack")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir) // want "`os.RemoveAll\\(dir\\)` is deferred inside a loop: what each iteration created is removed only"
		if err := unpack(a, dir); err != nil {
			return err
		}
	}
	return nil
}

// A deferred func literal that closes counts as a release too.
func copyAll(dst string, srcs []string) error {
	for _, s := range srcs {
		in, err := os.Open(s)
		if err != nil {
			return err
		}
		defer func() { // want "`in.Close\\(\\)` is deferred inside a loop"
			_ = in.Close()
		}()
		out, err := os.Create(filepath.Join(dst, filepath.Base(s)))
		if err != nil {
			return err
		}
		defer out.Close() // want "`out.Close\\(\\)` is deferred inside a loop"
	}
	return nil
}

func rawFds(paths []string) error {
	for _, p := range paths {
		fd, err := syscall.Open(p, syscall.O_RDONLY, 0)
		if err != nil {
			return err
		}
		defer syscall.Close(fd) // want "`syscall.Close\\(fd\\)` is deferred inside a loop"
	}
	return nil
}

// A cancel function declared with its type and assigned by a helper.
func refreshAll(parent context.Context, keys []string, derive func(context.Context) (context.Context, context.CancelFunc), load func(context.Context, string)) {
	var cancel context.CancelFunc
	var ctx context.Context
	for _, k := range keys {
		ctx, cancel = derive(parent)
		defer cancel() // want "`cancel\\(\\)` is deferred inside a loop"
		load(ctx, k)
	}
}

// A continue skips the return, so the defer can run again.
func firstReadable(paths []string) (string, error) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // want "`f.Close\\(\\)` is deferred inside a loop"
		st, err := f.Stat()
		if err != nil || st.Size() == 0 {
			continue
		}
		return p, nil
	}
	return "", os.ErrNotExist
}

func waitAll(wg *sync.WaitGroup, jobs []func()) {
	for _, j := range jobs {
		wg.Add(1)
		defer wg.Done() // want "`wg.Done\\(\\)` is deferred inside a loop: the work each iteration adds is marked done only"
		j()
	}
}

// The fallback timer is reset, so its case runs again and again.
func raceAgain(ctx context.Context, results <-chan error, start func(context.Context)) error {
	retry := time.NewTimer(300 * time.Millisecond)
	defer retry.Stop()
	for {
		select {
		case <-retry.C:
			rctx, rcancel := context.WithCancel(ctx)
			defer rcancel() // want "deferred inside a loop"
			go start(rctx)
			retry.Reset(time.Second)
		case err := <-results:
			return err
		}
	}
}

// Over a literal of five hosts: more than a handful.
func pingAll(ctx context.Context, ping func(context.Context, string) error) {
	for _, h := range []string{"a", "b", "c", "d", "e"} {
		hctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want "deferred inside a loop"
		_ = ping(hctx, h)
	}
}

// Assigned to a variable declared before the loop, but used up within the
// iteration: each file still stays open until the function returns.
func lastHeader(paths []string) (string, error) {
	var cur *os.File
	line := ""
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		defer f.Close() // want "`f.Close\\(\\)` is deferred inside a loop"
		cur = f
		s := bufio.NewScanner(cur)
		if s.Scan() {
			line = s.Text()
		}
	}
	return line, nil
}

// A deferred literal that closes on every path, whatever it logs about errors.
func scanAll(paths []string) (n int, err error) {
	for _, p := range paths {
		f, oerr := os.Open(p)
		if oerr != nil {
			return n, oerr
		}
		defer func() { // want "`f.Close\\(\\)` is deferred inside a loop"
			if err != nil {
				n = 0
			}
			f.Close()
		}()
		s := bufio.NewScanner(f)
		for s.Scan() {
			n++
		}
	}
	return n, nil
}

// Appended to a slice that lives only in the iteration.
func perFileLines(paths []string) (int, error) {
	total := 0
	for _, p := range paths {
		var open []*os.File
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close() // want "`f.Close\\(\\)` is deferred inside a loop"
		open = append(open, f)
		total += len(open)
	}
	return total, nil
}
