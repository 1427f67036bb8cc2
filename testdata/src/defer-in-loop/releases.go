package deferinloop

// `os.Remove` and `Release` release too: a temporary file per iteration, a
// semaphore slot per iteration.

import (
	"container/list"
	"context"
	"os"
)

// weighted has the shape of golang.org/x/sync/semaphore.Weighted.
type weighted struct{ slots chan struct{} }

func (w *weighted) Acquire(ctx context.Context, n int64) error {
	select {
	case w.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *weighted) Release(n int64) { <-w.slots }

func convertAll(inputs []string, convert func(src, dst string) error) error {
	for _, in := range inputs {
		tmp, err := os.CreateTemp("", "convert")
		if err != nil {
			return err
		}
		tmp.Close()
		defer os.Remove(tmp.Name()) // want "`os.Remove\\(tmp.Name\\(\\)\\)` is deferred inside a loop: what each iteration created is removed only"
		if err := convert(in, tmp.Name()); err != nil {
			return err
		}
	}
	return nil
}

func fetchEvery(ctx context.Context, sem *weighted, urls []string, fetch func(string) error) error {
	for _, u := range urls {
		if err := sem.Acquire(ctx, 1); err != nil {
			return err
		}
		defer sem.Release(1) // want "`sem.Release\\(1\\)` is deferred inside a loop: what each iteration acquires is held until the function returns"
		if err := fetch(u); err != nil {
			return err
		}
	}
	return nil
}

// Silent: the temporary file goes at the end of each iteration's function.
func convertEach(inputs []string, convert func(src, dst string) error) error {
	for _, in := range inputs {
		err := func() error {
			tmp, err := os.CreateTemp("", "convert")
			if err != nil {
				return err
			}
			tmp.Close()
			defer os.Remove(tmp.Name())
			return convert(in, tmp.Name())
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// Silent: removing a list element releases nothing.
func drain(l *list.List, keep func(any) bool) {
	for e := l.Front(); e != nil; e = e.Next() {
		if !keep(e.Value) {
			defer l.Remove(e)
		}
	}
}

// Silent: the loop returns on its first pass.
func fetchFirst(ctx context.Context, sem *weighted, urls []string, fetch func(string) error) error {
	for _, u := range urls {
		if err := sem.Acquire(ctx, 1); err != nil {
			return err
		}
		defer sem.Release(1)
		return fetch(u)
	}
	return nil
}
