package goroutinenotstopped

import "time"

// A queue nobody closes.
type Logger struct {
	lines chan string
	write func(string)
}

func NewLogger(write func(string)) *Logger {
	l := &Logger{lines: make(chan string, 64), write: write}
	go func() {
		for line := range l.lines { // want `goroutine never ends: this range over Logger.lines ends only when Logger.lines is closed, and nothing in the package closes it`
			l.write(line)
		}
	}()
	return l
}

func (l *Logger) Print(s string) { l.lines <- s }

func (l *Logger) Close() error { return nil }

// Closed in Close, in another file.
type Journal struct {
	entries chan string
}

func NewJournal() *Journal {
	j := &Journal{entries: make(chan string)}
	go j.drain()
	return j
}

func (j *Journal) drain() {
	for e := range j.entries {
		_ = e
	}
}

// The producer closes the channel inside the goroutine itself.
type Feed struct {
	items chan int
}

func NewFeed(n int) *Feed {
	f := &Feed{items: make(chan int)}
	go func() {
		defer close(f.items)
		for i := 0; i < n; i++ {
			f.items <- i
		}
	}()
	go func() {
		for v := range f.items {
			_ = v
		}
	}()
	return f
}

// A range over a ticker's channel: Stop never closes it.
type Heartbeat struct {
	ticker *time.Ticker
	beat   func()
}

func NewHeartbeat(beat func()) *Heartbeat {
	h := &Heartbeat{ticker: time.NewTicker(time.Second), beat: beat}
	go func() {
		for range h.ticker.C { // want `goroutine never ends: a ticker's Stop never closes its channel, so this range over Heartbeat.ticker.C runs forever`
			h.beat()
		}
	}()
	return h
}

func (h *Heartbeat) Stop() { h.ticker.Stop() }

// The fixed heartbeat selects on a done channel that Stop closes.
type Pulse struct {
	ticker *time.Ticker
	done   chan struct{}
}

func NewPulse() *Pulse {
	p := &Pulse{ticker: time.NewTicker(time.Second), done: make(chan struct{})}
	go func() {
		for {
			select {
			case <-p.ticker.C:
			case <-p.done:
				return
			}
		}
	}()
	return p
}

func (p *Pulse) Stop() {
	p.ticker.Stop()
	close(p.done)
}
