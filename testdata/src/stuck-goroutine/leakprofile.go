package stuckgoroutine

// The worker pool shape of the Go runtime's goroutine leak profile tests:
// workers range over a queue that is never closed.

func handle(item any) { _ = item }

// distribute hands every item to a worker and returns, leaving the workers
// waiting for more.
func distribute(list []any, workers int) {
	ch := make(chan any)
	for i := 0; i < workers; i++ {
		go func() {
			for item := range ch { // want "goroutine never ends: ch is never closed, so this range blocks forever"
				handle(item)
			}
		}()
	}
	for _, item := range list {
		ch <- item
	}
}

// distributeClosed closes the queue once every item is handed out.
func distributeClosed(list []any, workers int) {
	ch := make(chan any)
	for i := 0; i < workers; i++ {
		go func() {
			for item := range ch {
				handle(item)
			}
		}()
	}
	for _, item := range list {
		ch <- item
	}
	close(ch)
}
