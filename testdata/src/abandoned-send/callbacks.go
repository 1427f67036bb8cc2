package abandonedsend

import (
	"errors"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"
)

// A receive inside a callback that a helper runs before it returns (a helper
// of the package that only calls its argument, or a library one such as
// sync.Once.Do or sort.Slice) happens at the helper's call: a return before
// that call still abandons the sender. A helper that keeps the callback, or
// runs it in a goroutine, may receive at any time: silent.

var errNoIndex = errors.New("no index")

type catalogue struct {
	mu    sync.Mutex
	once  sync.Once
	names []string
	hooks []func()
}

// locked runs fn with the lock held.
func (c *catalogue) locked(fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn()
}

// onReload keeps fn for later.
func (c *catalogue) onReload(fn func()) {
	c.hooks = append(c.hooks, fn)
}

// inBackground runs fn in a goroutine of its own.
func inBackground(fn func()) {
	go fn()
}

func loadNames() []string { return []string{"b", "a"} }

// refresh returns on a missing index before the locked section that takes
// the names.
func (c *catalogue) refresh(ready bool) error {
	names := make(chan []string)
	go func() {
		names <- loadNames() // want "goroutine blocks forever sending on names: a return before the receive abandons it"
	}()
	if !ready {
		return errNoIndex
	}
	c.locked(func() {
		c.names = <-names
	})
	return nil
}

// refreshAll takes the names in the locked section on every path.
func (c *catalogue) refreshAll() {
	names := make(chan []string)
	go func() {
		names <- loadNames()
	}()
	c.locked(func() {
		c.names = <-names
	})
}

// refreshOnce returns early before once.Do takes the names.
func (c *catalogue) refreshOnce(ready bool) error {
	names := make(chan []string)
	go func() {
		names <- loadNames() // want "goroutine blocks forever sending on names: a return before the receive abandons it"
	}()
	if !ready {
		return errNoIndex
	}
	c.once.Do(func() {
		c.names = <-names
	})
	return nil
}

// refreshSorted sorts the names as it takes them, inside sort.Slice's less
// function, after a return that abandons the loader.
func (c *catalogue) refreshSorted(ready bool) error {
	rank := make(chan map[string]int)
	go func() {
		rank <- map[string]int{"a": 1} // want "goroutine blocks forever sending on rank: a return before the receive abandons it"
	}()
	if !ready {
		return errNoIndex
	}
	var order map[string]int
	sort.Slice(c.names, func(i, j int) bool {
		if order == nil {
			order = <-rank
		}
		return order[c.names[i]] < order[c.names[j]]
	})
	return nil
}

// refreshLater hands the receive to a hook that runs on some later reload.
func (c *catalogue) refreshLater(ready bool) error {
	names := make(chan []string)
	go func() {
		names <- loadNames()
	}()
	if !ready {
		return errNoIndex
	}
	c.onReload(func() {
		c.names = <-names
	})
	return nil
}

// refreshInBackground receives in a goroutine the helper starts.
func (c *catalogue) refreshInBackground(ready bool) error {
	names := make(chan []string)
	go func() {
		names <- loadNames()
	}()
	if !ready {
		return errNoIndex
	}
	inBackground(func() {
		c.names = <-names
	})
	return nil
}

// refreshGroup receives in an errgroup goroutine: errgroup.Go starts one.
func (c *catalogue) refreshGroup(ready bool) error {
	var g errgroup.Group
	names := make(chan []string)
	go func() {
		names <- loadNames()
	}()
	if !ready {
		return errNoIndex
	}
	g.Go(func() error {
		c.names = <-names
		return nil
	})
	return g.Wait()
}
