package timeafter

import (
	"context"
	"errors"
	"time"
)

func handle(string) {}

// Positive: the idle-timeout consumer; every message leaves a pending timer.
func consume(in <-chan string) {
	for {
		select {
		case msg := <-in:
			handle(msg)
		case <-time.After(time.Minute):
			return
		}
	}
}

// Positive: a busy loop with a default case.
func spin(done *bool) {
	for !*done {
		select {
		case <-time.After(time.Second):
			return
		default:
		}
	}
}

// Positive: the channel assigned in the loop body and selected on.
func batch(in <-chan string, flush func()) {
	for {
		timeout := time.After(5 * time.Second)
		select {
		case msg := <-in:
			handle(msg)
		case <-timeout:
			flush()
		}
	}
}

// Positive: a range over work items, each with its own pending timer.
func sendAll(out chan<- string, items []string) error {
	for _, it := range items {
		select {
		case out <- it:
		case <-time.After(30 * time.Second):
			return errors.New("timeout")
		}
	}
	return nil
}

// Positive: a context case that loops back too (it only logs).
func watch(ctx context.Context, events <-chan string) {
	for {
		select {
		case <-ctx.Done():
			handle("cancelled")
			continue
		case ev := <-events:
			handle(ev)
		case <-time.After(time.Hour):
			return
		}
	}
}

// Positive: a plain break leaves only the select, not the loop.
func drain(in <-chan string) {
	for {
		select {
		case msg := <-in:
			if msg == "" {
				break
			}
			handle(msg)
		case <-time.After(time.Second):
			return
		}
	}
}

// Positive: inside a goroutine.
func startConsumer(in <-chan string) {
	go func() {
		for {
			select {
			case m := <-in:
				handle(m)
			case <-time.After(10 * time.Minute):
				return
			}
		}
	}()
}

// Negative: the fixed form, one timer reset per message.
func consumeFixed(in <-chan string) {
	idle := time.NewTimer(time.Minute)
	defer idle.Stop()
	for {
		select {
		case msg := <-in:
			handle(msg)
			if !idle.Stop() {
				<-idle.C
			}
			idle.Reset(time.Minute)
		case <-idle.C:
			return
		}
	}
}

// Negative: the loop waits on the timer alone, like a sleep.
func pace(n int) {
	for i := 0; i < n; i++ {
		<-time.After(time.Second)
		handle("tick")
	}
}

// Negative: a select whose only case is the timer.
func paceSelect(n int) {
	for i := 0; i < n; i++ {
		select {
		case <-time.After(time.Second):
			handle("tick")
		}
	}
}

// Negative: a retry loop backing off; the other case leaves the loop.
func retry(ctx context.Context, try func() error) error {
	for {
		if err := try(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// Negative: a labelled break out of the loop.
func firstOrTimeout(in <-chan string) string {
	var got string
loop:
	for {
		select {
		case got = <-in:
			break loop
		case <-time.After(time.Second):
			handle("waiting")
		}
	}
	return got
}

// Negative: the timeout made once, before the loop.
func collect(in <-chan string) []string {
	var out []string
	deadline := time.After(time.Minute)
	for {
		select {
		case m := <-in:
			out = append(out, m)
		case <-deadline:
			return out
		}
	}
}

// Negative: not in a loop.
func once(in <-chan string) {
	select {
	case m := <-in:
		handle(m)
	case <-time.After(time.Second):
	}
}

// Negative: the channel is handed to another function.
func passOn(n int, wait func(<-chan time.Time)) {
	for i := 0; i < n; i++ {
		wait(time.After(time.Second))
	}
}

// Negative: the other case panics.
func mustReceive(in <-chan string) {
	for {
		select {
		case <-in:
			panic("unexpected message")
		case <-time.After(time.Second):
			handle("quiet")
		}
	}
}

type fakeClock struct{}

func (fakeClock) After(time.Duration) <-chan time.Time { return nil }

// Negative: a method named After is not time.After.
func fake(c fakeClock, in <-chan string) {
	for {
		select {
		case <-in:
		case <-c.After(time.Second):
			return
		}
	}
}

// Negative: a loop with a constant bound leaves a handful of timers, not a pile.
func waitTwo(errs <-chan error) error {
	for i := 0; i < 2; i++ {
		select {
		case err := <-errs:
			if err != nil {
				return err
			}
		case <-time.After(10 * time.Second):
			return errors.New("deadlock")
		}
	}
	return nil
}

// Negative: the timer is made once, before a busy loop with an empty default.
func waitFlag(flag *int32, load func(*int32) int32) bool {
	timeout := time.After(5 * time.Second)
	for load(flag) == 0 {
		select {
		case <-timeout:
			return false
		default:
		}
	}
	return true
}

// Negative: the timer is renewed only in the case that received from it.
func lease(events <-chan string, renew func() time.Duration) {
	leaseC := time.After(time.Minute)
	for {
		select {
		case ev := <-events:
			handle(ev)
		case <-leaseC:
			leaseC = time.After(renew())
		}
	}
}

// Negative: a new timer only when none is pending.
func coalesce(in <-chan string, flush func()) {
	var quantum <-chan time.Time
	for {
		select {
		case e := <-in:
			if quantum == nil {
				quantum = time.After(time.Minute)
			}
			handle(e)
		case <-quantum:
			quantum = nil
			flush()
		}
	}
}

// Positive: the quiet timer restarted on every event.
func quiet(in <-chan string, flush func()) {
	var quiescent <-chan time.Time
	for {
		select {
		case e := <-in:
			quiescent = time.After(time.Minute)
			handle(e)
		case <-quiescent:
			flush()
		}
	}
}
