package lostcancel

// Calls are matched by the import path they resolve to, not by their text.

import (
	c "context"
	"os"
	sig "os/signal"
	"time"
)

// --- A renamed import of "context" still names the context package.

func renamedImportDiscarded() c.Context {
	ctx, _ := c.WithDeadline(bg, time.Now().Add(time.Minute)) // want "cancel function returned by context.WithDeadline is discarded"
	return ctx
}

func renamedImportDeferred(parent c.Context) error {
	ctx, cancel := c.WithDeadline(parent, time.Now().Add(time.Minute))
	defer cancel()
	return use(ctx)
}

func renamedImportEarlyReturn(parent c.Context, name string) error {
	ctx, cancel := c.WithCancel(parent) // want "cancel function cancel is not called on every path, so the context returned by context.WithCancel"
	if err := work(ctx, name); err != nil {
		return err
	}
	cancel()
	return nil
}

func renamedImportCancelOnEveryPath(parent c.Context, name string) error {
	ctx, cancel := c.WithCancel(parent)
	if err := work(ctx, name); err != nil {
		cancel()
		return err
	}
	cancel()
	return nil
}

// --- A renamed import of "os/signal".

func renamedSignalDiscarded(parent c.Context) c.Context {
	ctx, _ := sig.NotifyContext(parent, os.Interrupt) // want "cancel function returned by signal.NotifyContext is discarded"
	return ctx
}

func renamedSignalDeferred(parent c.Context) error {
	ctx, stop := sig.NotifyContext(parent, os.Interrupt)
	defer stop()
	return use(ctx)
}

// --- Look-alikes that are not the context package.

// WithCancel here is the package's own function (localctx.go).
func localFunctionNamedWithCancel(parent c.Context) c.Context {
	ctx, _ := WithCancel(parent)
	return ctx
}

func localFunctionNamedWithCancelNeverCalled(parent c.Context, name string) error {
	ctx, release := WithCancel(parent)
	if name == "" {
		return errEmpty
	}
	release()
	return work(ctx, name)
}

func methodNamedWithCancel(parent c.Context) c.Context {
	s := &scopes{}
	ctx, _ := s.WithCancel(parent)
	return ctx
}

func methodNamedWithTimeout(parent c.Context, s *scopes) c.Context {
	ctx, _ := s.WithTimeout(parent, 5)
	return ctx
}

// A local variable called context hides nothing here (the import is renamed),
// and its WithCancel method is not context.WithCancel.
func localVariableNamedContext(parent c.Context) c.Context {
	context := &scopes{base: parent}
	ctx, _ := context.WithCancel(parent)
	return ctx
}
