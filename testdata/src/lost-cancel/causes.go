package lostcancel

// The ...Cause constructors (Go 1.20 and 1.21), and the context functions
// that return no cancel function at all.

import (
	"context"
	"errors"
	"time"
)

var errShuttingDown = errors.New("shutting down")

// --- WithCancelCause.

func cancelCauseDiscarded() context.Context {
	ctx, _ := context.WithCancelCause(bg) // want "the cancel function returned by context.WithCancelCause is discarded"
	return ctx
}

func cancelCauseEarlyReturn(parent context.Context, items []string) error {
	ctx, cancel := context.WithCancelCause(parent) // want "cancel function cancel is not called on every path, so the context returned by context.WithCancelCause can outlive this function"
	for _, it := range items {
		if err := work(ctx, it); err != nil {
			return err
		}
	}
	cancel(nil)
	return nil
}

func cancelCauseOnEveryPath(parent context.Context, items []string) error {
	ctx, cancel := context.WithCancelCause(parent)
	for _, it := range items {
		if err := work(ctx, it); err != nil {
			cancel(err)
			return err
		}
	}
	cancel(nil)
	return nil
}

func cancelCauseDeferredWithCause(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(errShuttingDown)
	return use(ctx)
}

func cancelCauseDeferredInFuncLiteral(parent context.Context) (err error) {
	ctx, cancel := context.WithCancelCause(parent)
	defer func() {
		cancel(err)
	}()
	return use(ctx)
}

type job struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
}

func cancelCauseHandedOff(parent context.Context) *job {
	ctx, cancel := context.WithCancelCause(parent) // want `the cancel func of context.WithCancelCause\(…\) is stored in job.cancel, but job has no Close or Stop method`
	return &job{ctx: ctx, cancel: cancel}
}

// --- WithTimeoutCause and WithDeadlineCause (Go 1.21).

func timeoutCauseDiscarded() context.Context {
	ctx, _ := context.WithTimeoutCause(bg, time.Second, errShuttingDown) // want "the cancel function returned by context.WithTimeoutCause is discarded"
	return ctx
}

func timeoutCauseDeferred(parent context.Context) error {
	ctx, cancel := context.WithTimeoutCause(parent, time.Second, errShuttingDown)
	defer cancel()
	return use(ctx)
}

func deadlineCauseDiscarded(deadline time.Time) context.Context {
	ctx, _ := context.WithDeadlineCause(bg, deadline, errShuttingDown) // want "the cancel function returned by context.WithDeadlineCause is discarded"
	return ctx
}

func deadlineCauseEarlyReturn(parent context.Context, deadline time.Time, name string) error {
	ctx, cancel := context.WithDeadlineCause(parent, deadline, errShuttingDown) // want "cancel function cancel is not called on every path, so the context returned by context.WithDeadlineCause"
	if name == "" {
		return errEmpty
	}
	defer cancel()
	return work(ctx, name)
}

func deadlineCauseDeferred(parent context.Context, deadline time.Time, name string) error {
	ctx, cancel := context.WithDeadlineCause(parent, deadline, errShuttingDown)
	defer cancel()
	if name == "" {
		return errEmpty
	}
	return work(ctx, name)
}

// --- Functions that return no cancel function.

type requestIDKey struct{}

func withoutCancelAndWithValue(parent context.Context, id string) error {
	detached := context.WithoutCancel(parent)
	ctx := context.WithValue(detached, requestIDKey{}, id)
	return use(ctx)
}

func detachedButDiscarded(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(context.WithoutCancel(parent), time.Second) // want "the cancel function returned by context.WithTimeout is discarded"
	return ctx
}

func detachedWithDeferredCancel(parent context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), time.Second)
	defer cancel()
	return use(ctx)
}

// context.AfterFunc returns a stop function; not calling it leaks nothing
// that this rule is about.
func afterFuncStopIgnored(ctx context.Context, done chan<- struct{}) {
	context.AfterFunc(ctx, func() {
		close(done)
	})
}

func afterFuncStopDiscarded(ctx context.Context, done chan<- struct{}) {
	_ = context.AfterFunc(ctx, func() {
		close(done)
	})
}

func afterFuncStopKeptInOneBranch(ctx context.Context, done chan<- struct{}, keep bool) func() bool {
	stop := context.AfterFunc(ctx, func() {
		close(done)
	})
	if keep {
		return stop
	}
	return nil
}

// The cancel function is passed to AfterFunc: it is handed off.
func cancelPassedToAfterFunc(parent, other context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	context.AfterFunc(other, cancel)
	return ctx
}

// A local variable called context shadows the package inside this function.
func localVariableNamedContext2(parent context.Context) context.Context {
	context := &scopes{base: parent}
	ctx, _ := context.WithCancel(parent)
	return ctx
}
