package ticker

import (
	"context"
	"errors"
	"time"
)

func refresh()      {}
func handle(string) {}
func work() error   { return nil }

var kept []*time.Ticker

func keep(t *time.Ticker) { kept = append(kept, t) }

func stop(t *time.Ticker) { t.Stop() }

// Poll returns on cancellation and leaves its ticker running.
func Poll(ctx context.Context) error {
	t := time.NewTicker(time.Second) // want `the ticker t is not stopped on every path.*; not a leak at go 1.23\+`
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			refresh()
		}
	}
}

// StopOnSuccess stops the ticker on one path only.
func StopOnSuccess() error {
	t := time.NewTicker(10 * time.Millisecond) // want `the ticker t is not stopped on every path.*; not a leak at go 1.23\+`
	<-t.C
	if err := work(); err != nil {
		return err
	}
	t.Stop()
	return nil
}

// Dropped starts a ticker nobody can stop.
func Dropped() {
	_ = time.NewTicker(time.Second) // want `the ticker started here is dropped at once.*; not a leak at go 1.23\+`
}

// ChannelOnly keeps the channel alone.
func ChannelOnly(n int) {
	c := time.NewTicker(time.Second).C // want `only the channel of this ticker is kept.*; not a leak at go 1.23\+`
	for i := 0; i < n; i++ {
		<-c
	}
}

// PerIteration makes a ticker every time round.
func PerIteration(done <-chan struct{}, in <-chan string) {
	for {
		select {
		case <-done:
			return
		case s := <-in:
			handle(s)
		case <-time.NewTicker(time.Second).C: // want `starts a new ticker on every iteration.*; not a leak at go 1.23\+`
			refresh()
		}
	}
}

// PerJob replaces its ticker before stopping it.
func PerJob(jobs []string) {
	for _, j := range jobs {
		t := time.NewTicker(time.Second) // want `the ticker t is not stopped on every path.*; not a leak at go 1.23\+`
		<-t.C
		handle(j)
	}
}

// Consume makes a timer per message.
func Consume(in <-chan string) {
	for {
		select {
		case s := <-in:
			handle(s)
		case <-time.NewTimer(time.Minute).C:
			return
		}
	}
}

// Idle renews its timeout per message and returns on close without stopping it.
func Idle(in <-chan string) error {
	idle := time.NewTimer(time.Minute)
	for {
		select {
		case s, ok := <-in:
			if !ok {
				return errors.New("closed")
			}
			handle(s)
			idle.Reset(time.Minute)
		case <-idle.C:
			return nil
		}
	}
}

type Cache struct{ items map[string]string }

// NewCache starts a janitor that ranges over its ticker forever.
func NewCache() *Cache {
	c := &Cache{items: map[string]string{}}
	t := time.NewTicker(time.Minute) // want `a goroutine waits on the ticker t forever`
	go func() {
		for range t.C { // one leak: reported once, by unstopped-ticker above
			refresh()
		}
	}()
	return c
}

// Serve starts a goroutine per call that selects on its own ticker forever.
func Serve() {
	go func() {
		t := time.NewTicker(time.Second) // want `a goroutine waits on the ticker t forever`
		defer t.Stop()
		for { // want `goroutine never ends`
			select {
			case <-t.C:
				refresh()
			}
		}
	}()
}

// --- look-alikes that must stay silent ---

// Deferred stops on every path.
func Deferred(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			refresh()
		}
	}
}

// DeferredClosure stops in a deferred closure.
func DeferredClosure() {
	t := time.NewTicker(time.Second)
	defer func() {
		t.Stop()
	}()
	<-t.C
}

// NewPacer returns the ticker: the caller stops it.
func NewPacer(d time.Duration) *time.Ticker {
	t := time.NewTicker(d)
	return t
}

type Pacer struct{ t *time.Ticker }

// Start stores the ticker in a field.
func (p *Pacer) Start() {
	p.t = time.NewTicker(time.Second) // want "time\\.NewTicker\\(…\\) is stored in Pacer\\.t, but Pacer has no Close or Stop method"
}

// Watch hands the ticker to a goroutine that stops it and can return.
func Watch(ctx context.Context) {
	t := time.NewTicker(time.Second)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				refresh()
			}
		}
	}()
}

// Handed passes the ticker to a function that keeps it.
func Handed() {
	t := time.NewTicker(time.Second)
	keep(t)
}

// Helper stops the ticker through a helper of the package.
func Helper() {
	t := time.NewTicker(time.Second)
	<-t.C
	stop(t)
}

// Forever never returns after making its ticker: it is used for as long as it runs.
func Forever() {
	t := time.NewTicker(time.Second)
	for range t.C {
		refresh()
	}
}

// StopInside stops the ticker in the range body before it returns.
func StopInside(n int) {
	t := time.NewTicker(time.Second)
	for range t.C {
		if n--; n == 0 {
			t.Stop()
			return
		}
	}
}

// LeaveRange breaks out of the range loop and returns without stopping.
func LeaveRange(n int) {
	t := time.NewTicker(time.Second) // want `the ticker t is not stopped on every path.*; not a leak at go 1.23\+`
	for range t.C {
		if n--; n == 0 {
			break
		}
	}
}

// TickChannel hands the channel to the caller.
func TickChannel() <-chan time.Time {
	return time.NewTicker(time.Second).C
}

// WaitOnce waits for its timer to fire: it is gone afterwards.
func WaitOnce() {
	t := time.NewTimer(time.Second)
	<-t.C
	refresh()
}

// SelectOnce waits once; a pending timer is not renewed.
func SelectOnce(ctx context.Context) error {
	t := time.NewTimer(time.Minute)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Sleeps waits for each timer to fire.
func Sleeps(n int, in []string) {
	for _, s := range in {
		<-time.NewTimer(time.Millisecond).C
		handle(s)
	}
}

// Retry tries three times.
func Retry(ctx context.Context) error {
	for i := 0; i < 3; i++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.NewTimer(time.Second).C:
		}
	}
	return nil
}

// IdleStopped renews its timer and stops it on return.
func IdleStopped(in <-chan string) {
	idle := time.NewTimer(time.Minute)
	defer idle.Stop()
	for {
		select {
		case s, ok := <-in:
			if !ok {
				return
			}
			handle(s)
			idle.Reset(time.Minute)
		case <-idle.C:
			return
		}
	}
}

func init() {
	t := time.NewTicker(time.Hour)
	go func() {
		for range t.C { // want "a note only: started from `init`"
			refresh()
		}
	}()
}

// Relay makes a timer per message and goes round on the next message.
func Relay(in <-chan string) {
	for {
		t := time.NewTimer(time.Minute)
		select {
		case s := <-in:
			handle(s)
		case <-t.C:
			return
		}
	}
}

// Throttle makes a timer per statement; every other case leaves the loop.
func Throttle(ctx context.Context, stmts []string) error {
	for _, s := range stmts {
		wait := time.NewTimer(time.Millisecond)
		select {
		case <-wait.C:
		case <-ctx.Done():
			wait.Stop()
			return ctx.Err()
		}
		handle(s)
	}
	return nil
}

// Panics: NewTicker(-1) starts nothing.
func Panics() {
	defer func() { _ = recover() }()
	time.NewTicker(-1)
}

// Backoff makes a timer per attempt: each one fires or is stopped.
func Backoff(ctx context.Context, reset <-chan struct{}) {
	for {
		timer := time.NewTimer(time.Second)
		select {
		case <-timer.C:
			refresh()
		case <-reset:
			timer.Stop()
		case <-ctx.Done():
			timer.Stop()
			return
		}
	}
}

// Drain resets its timer between waits; the loop ends only after it fired.
func Drain(quit <-chan struct{}, items []string) {
	t := time.NewTimer(time.Second)
	<-t.C
	for i, s := range items {
		handle(s)
		if i == len(items)-1 {
			break
		}
		t.Reset(time.Millisecond)
		select {
		case <-t.C:
		case <-quit:
			t.Stop()
			return
		}
	}
}
