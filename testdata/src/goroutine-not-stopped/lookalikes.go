package goroutinenotstopped

// Exported, handed-off and process-lifetime look-alikes.

type Bus struct {
	Done chan struct{}
	msgs chan string
}

// Whoever holds the bus may close its exported Done.
func NewBus() *Bus {
	b := &Bus{Done: make(chan struct{}), msgs: make(chan string)}
	go func() {
		for {
			select {
			case <-b.msgs:
			case <-b.Done:
				return
			}
		}
	}()
	return b
}

// The done channel is handed out by a getter.
type Clock struct {
	ticks chan int
	done  chan struct{}
}

func NewClock() *Clock {
	c := &Clock{ticks: make(chan int), done: make(chan struct{})}
	go func() {
		for {
			select {
			case <-c.ticks:
			case <-c.done:
				return
			}
		}
	}()
	return c
}

func (c *Clock) DoneChan() chan struct{} { return c.done }

// Started once from init: a process-lifetime dispatcher.
type dispatcher struct {
	events chan string
	done   chan struct{}
}

var global = &dispatcher{events: make(chan string), done: make(chan struct{})}

func init() {
	go func() {
		for {
			select {
			case <-global.events:
			case <-global.done:
				return
			}
		}
	}()
}
