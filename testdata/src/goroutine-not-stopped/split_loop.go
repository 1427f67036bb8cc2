package goroutinenotstopped

func (r *Ring[T]) spin() {
	for { // want `goroutine never ends: this loop leaves only when Ring.done is closed or sent on`
		select {
		case v := <-r.in:
			_ = v
		case <-r.done:
			return
		}
	}
}

// A value receiver: Stop in a third file closes the same channel.
func (g Gauge) watch() {
	for {
		select {
		case <-g.values:
		case <-g.done:
			return
		}
	}
}
