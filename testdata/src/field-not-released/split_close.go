package fieldnotreleased

func (c *Cache[K, V]) Close() {
	close(c.stop)
}

// Released in another file than the one that stores them.
func (w *Watcher) Stop() {
	w.cancel()
	w.stopTicker()
}

func (w *Watcher) stopTicker() { w.ticker.Stop() }

// The promoted Close stops the embedded ticker, not the server's own.
func (b *base) Close() { b.ticker.Stop() }
