package goroutinenotstopped

func (g Gauge) Stop() { close(g.done) }

func (r *Ring[T]) Stop() {}
