// Package xnet checks lost-cancel through golang.org/x/net/context, which
// many code bases still import for the context package of Go 1.6 and older.
package xnet

import (
	"time"

	"golang.org/x/net/context"
)

var base = context.Background()

func xnetDiscarded() error {
	ctx, _ := context.WithCancel(base) // want "the cancel function returned by context.WithCancel is discarded, so the context lives until its parent is cancelled"
	return ctx.Err()
}

func xnetTimeoutDiscarded() error {
	ctx, _ := context.WithTimeout(base, time.Second) // want "the cancel function returned by context.WithTimeout is discarded, so the context lives until the deadline or its parent is cancelled"
	return ctx.Err()
}

func xnetDeadlineEarlyReturn(name string) error {
	ctx, cancel := context.WithDeadline(base, time.Now().Add(time.Minute)) // want "cancel function cancel is not called on every path, so the context returned by context.WithDeadline can outlive this function"
	if name == "" {
		return context.Canceled
	}
	defer cancel()
	return ctx.Err()
}

func xnetDeferred() error {
	ctx, cancel := context.WithTimeout(base, time.Second)
	defer cancel()
	return ctx.Err()
}

func xnetCancelOnEveryPath(name string) error {
	ctx, cancel := context.WithCancel(base)
	if name == "" {
		cancel()
		return context.Canceled
	}
	cancel()
	return ctx.Err()
}

func xnetHandedOff() (context.Context, context.CancelFunc) {
	return context.WithCancel(base)
}
