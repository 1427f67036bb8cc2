package lostcancel

// A context that leaves the function with its cancel function lost: the
// cancel function must leave with it. `defer cancel()` here would hand out a
// context that is already cancelled, so no such fix is offered (tests/fix.rs
// checks the advice).

import (
	"context"
	"time"
)

type session struct {
	ctx context.Context
}

func escapesReturned(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent) // want "the cancel function returned by context.WithCancel is discarded, so the context lives until its parent is cancelled"
	return ctx
}

func escapesReturnedDerived(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "the cancel function returned by context.WithTimeout is discarded, so the context lives until the deadline or its parent is cancelled"
	return context.WithValue(ctx, requestIDKey{}, "id")
}

func (s *session) escapesStored(parent context.Context) {
	ctx, _ := context.WithDeadline(parent, time.Now().Add(time.Minute)) // want "the cancel function returned by context.WithDeadline is discarded, so the context lives until the deadline or its parent is cancelled"
	s.ctx = ctx
}

func escapesInStruct(parent context.Context) *session {
	ctx, _ := context.WithCancel(parent) // want "the cancel function returned by context.WithCancel is discarded"
	return &session{ctx: ctx}
}

func escapesToGoroutine(parent context.Context, items []string) {
	ctx, _ := context.WithCancel(parent) // want "the cancel function returned by context.WithCancel is discarded"
	go func() {
		for _, it := range items {
			_ = work(ctx, it)
		}
	}()
}

func escapesOnSuccess(parent context.Context, name string) (context.Context, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path, so the context returned by context.WithTimeout can outlive this function"
	if err := work(ctx, name); err != nil {
		cancel()
		return nil, err
	}
	return ctx, nil
}

// The fixed forms: the cancel function leaves with the context.

func returnsBoth(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, cancel
}

func goroutineOwnsCancel(parent context.Context, items []string) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		defer cancel()
		for _, it := range items {
			_ = work(ctx, it)
		}
	}()
}
