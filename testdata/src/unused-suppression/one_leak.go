package unusedsuppression

import "time"

// One leak that two rules describe is reported once (by the more specific
// rule), and a directive naming either rule silences it and is used.

type flusher struct {
	ticker *time.Ticker
	done   chan struct{}
	flush  func()
}

// The directive names the rule whose finding was folded into the other.
func newFlusher(flush func()) *flusher {
	f := &flusher{ticker: time.NewTicker(time.Second), done: make(chan struct{}), flush: flush}
	go f.loop()
	return f
}

func (f *flusher) loop() {
	//goleaklint:ignore stuck-goroutine the process exits when done closes
	for {
		select {
		case <-f.ticker.C:
			f.flush()
		case <-f.done:
			f.ticker.Stop()
		}
	}
}

func (f *flusher) Stop() { close(f.done) }

// The directive names the rule that is kept.
type pump struct {
	ticker *time.Ticker
	quit   chan struct{}
	tick   func()
}

func newPump(tick func()) *pump {
	p := &pump{ticker: time.NewTicker(time.Second), quit: make(chan struct{}), tick: tick}
	go p.loop()
	return p
}

func (p *pump) loop() {
	for { //goleaklint:ignore goroutine-not-stopped the process exits when quit closes
		select {
		case <-p.ticker.C:
			p.tick()
		case <-p.quit:
			p.ticker.Stop()
		}
	}
}

func (p *pump) Stop() { close(p.quit) }

// A goroutine waiting on a local ticker forever: unstopped-ticker and
// stuck-goroutine report it on different lines; silencing the goroutine's
// line silences the leak.
func startTicking(tick func()) {
	t := time.NewTicker(time.Second)
	go func() {
		//goleaklint:ignore stuck-goroutine lives as long as the process
		for range t.C {
			tick()
		}
	}()
}

// Unused all the same: no finding of any rule on the next line.
func quiet(tick func()) {
	//goleaklint:ignore stuck-goroutine nothing here // want "this suppression silences nothing"
	tick()
}
