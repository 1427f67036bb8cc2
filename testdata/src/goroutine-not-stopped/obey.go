package goroutinenotstopped

import "time"

// The done case stops the ticker but does not return.
type Flusher struct {
	ticker *time.Ticker
	done   chan struct{}
	flush  func()
}

func NewFlusher(flush func()) *Flusher {
	f := &Flusher{ticker: time.NewTicker(time.Second), done: make(chan struct{}), flush: flush}
	go f.loop()
	return f
}

func (f *Flusher) loop() {
	for { // want `goroutine never ends: the case on Flusher.done does not leave the loop \(it has no .return.\)`
		select {
		case <-f.ticker.C:
			f.flush()
		case <-f.done:
			f.ticker.Stop()
		}
	}
}

func (f *Flusher) Stop() { close(f.done) }

// `break` inside the select leaves only the select.
type Tailer struct {
	lines chan string
	stop  chan struct{}
}

func NewTailer() *Tailer {
	t := &Tailer{lines: make(chan string), stop: make(chan struct{})}
	go func() {
		for { // want `the case on Tailer.stop does not leave the loop \(.break. leaves only the select\)`
			select {
			case l := <-t.lines:
				_ = l
			case <-t.stop:
				break
			}
		}
	}()
	return t
}

func (t *Tailer) Close() { close(t.stop) }

// A labelled break leaves the loop.
type Scanner struct {
	lines chan string
	stop  chan struct{}
}

func NewScanner() *Scanner {
	s := &Scanner{lines: make(chan string), stop: make(chan struct{})}
	go func() {
	loop:
		for {
			select {
			case l := <-s.lines:
				_ = l
			case <-s.stop:
				break loop
			}
		}
	}()
	return s
}

func (s *Scanner) Close() { close(s.stop) }

// One send for a goroutine per iteration.
type Crawler struct {
	urls chan string
	quit chan struct{}
}

func NewCrawler(n int) *Crawler {
	c := &Crawler{urls: make(chan string), quit: make(chan struct{})}
	for i := 0; i < n; i++ {
		go c.fetch()
	}
	return c
}

func (c *Crawler) fetch() {
	for { // want `goroutine may never end: one goroutine is started per iteration, but Crawler.quit gets a single send, which stops only one of them`
		select {
		case u := <-c.urls:
			_ = u
		case <-c.quit:
			return
		}
	}
}

func (c *Crawler) Stop() { c.quit <- struct{}{} }

// One send for one goroutine is enough.
type Indexer struct {
	docs chan string
	quit chan struct{}
}

func NewIndexer() *Indexer {
	ix := &Indexer{docs: make(chan string), quit: make(chan struct{})}
	go ix.run()
	return ix
}

func (ix *Indexer) run() {
	for {
		select {
		case d := <-ix.docs:
			_ = d
		case <-ix.quit:
			return
		}
	}
}

func (ix *Indexer) Stop() { ix.quit <- struct{}{} }

// A close reaches every worker.
type Fanout struct {
	work chan int
	quit chan struct{}
}

func NewFanout(n int) *Fanout {
	f := &Fanout{work: make(chan int), quit: make(chan struct{})}
	for i := 0; i < n; i++ {
		go f.serve()
	}
	return f
}

func (f *Fanout) serve() {
	for {
		select {
		case <-f.work:
		case <-f.quit:
			return
		}
	}
}

func (f *Fanout) Stop() { close(f.quit) }
