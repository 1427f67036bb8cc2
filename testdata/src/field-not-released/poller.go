package fieldnotreleased

// A release method that releases some fields and forgets others.

import (
	"context"
	"time"
)

type Poller struct {
	ticker *time.Ticker
	done   chan struct{}
	cancel context.CancelFunc
}

func NewPoller(d time.Duration) *Poller {
	_, cancel := context.WithCancel(context.Background()) // want `the cancel func of context.WithCancel\(…\) is stored in Poller.cancel, but Poller.Stop never calls it`
	return &Poller{
		ticker: time.NewTicker(d), // want `time.NewTicker\(…\) is stored in Poller.ticker, but Poller.Stop never stops it`
		done:   make(chan struct{}),
		cancel: cancel,
	}
}

func (p *Poller) Stop() {
	close(p.done)
}

// The fixed form: every field released in Stop.
type Ticking struct {
	ticker *time.Ticker
	cancel context.CancelFunc
}

func NewTicking(d time.Duration) *Ticking {
	_, cancel := context.WithCancel(context.Background())
	return &Ticking{ticker: time.NewTicker(d), cancel: cancel}
}

func (t *Ticking) Stop() {
	t.ticker.Stop()
	t.cancel()
}

// Released in a deferred closure and through sync.Once.
type Deferred struct {
	ticker *time.Ticker
	timer  *time.Ticker
	once   onceLike
}

type onceLike interface{ Do(func()) }

func NewDeferred(o onceLike) *Deferred {
	d := &Deferred{once: o}
	d.ticker = time.NewTicker(time.Second)
	d.timer = time.NewTicker(time.Minute)
	return d
}

func (d *Deferred) Close() error {
	defer func() {
		d.ticker.Stop()
	}()
	d.once.Do(func() { d.timer.Stop() })
	return nil
}

// A Close that only forgets the value.
type Forgetful struct {
	ticker *time.Ticker
}

func (f *Forgetful) Start() {
	f.ticker = time.NewTicker(time.Second) // want `time.NewTicker\(…\) is stored in Forgetful.ticker, but Forgetful.Close never stops it`
}

func (f *Forgetful) Close() {
	f.ticker = nil
}
