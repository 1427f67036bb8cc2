package fieldnotreleased

import (
	"context"
	"time"
)

func NewCache[K comparable, V any](d time.Duration) *Cache[K, V] {
	c := &Cache[K, V]{items: map[K]V{}, stop: make(chan struct{})}
	c.ticker = time.NewTicker(d) // want `time.NewTicker\(…\) is stored in Cache.ticker, but Cache.Close never stops it`
	return c
}

func NewWatcher(parent context.Context) *Watcher {
	_, cancel := context.WithCancel(parent)
	w := &Watcher{cancel: cancel}
	w.ticker = time.NewTicker(time.Second)
	return w
}

func NewServer() *Server {
	s := &Server{}
	s.ticker = time.NewTicker(time.Second)
	s.sweeper = time.NewTicker(time.Minute) // want `time.NewTicker\(…\) is stored in Server.sweeper, but Server.Close never stops it`
	return s
}

// Started as a goroutine that stops its own ticker when flushing ends.
func NewBatcher() *Batcher {
	b := &Batcher{flush: make(chan struct{})}
	b.ticker = time.NewTicker(time.Second)
	go b.run()
	return b
}

func (b *Batcher) run() {
	defer b.ticker.Stop()
	for {
		select {
		case <-b.ticker.C:
		case <-b.flush:
			return
		}
	}
}

func (b *Batcher) Close() { close(b.flush) }

