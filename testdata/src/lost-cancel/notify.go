package lostcancel

// os/signal.NotifyContext in a file that does not import "context" at all:
// a fast path that skips files without a context import would miss these.

import (
	"log"
	"os"
	"os/signal"
	"syscall"
)

func notifyDiscarded() error {
	ctx, _ := signal.NotifyContext(bg, os.Interrupt) // want "the cancel function returned by signal.NotifyContext is discarded, so the context lives until its parent is cancelled"
	return use(ctx)
}

func notifyDeferred() error {
	ctx, stop := signal.NotifyContext(bg, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return use(ctx)
}

func notifyEarlyReturnSkipsStop(configOK bool) error {
	ctx, stop := signal.NotifyContext(bg, os.Interrupt, syscall.SIGTERM) // want "cancel function stop is not called on every path, so the context returned by signal.NotifyContext can outlive this function"
	if !configOK {
		return errBadConfig
	}
	defer stop()
	return use(ctx)
}

func notifyStopOnEveryPath(configOK bool) error {
	ctx, stop := signal.NotifyContext(bg, os.Interrupt, syscall.SIGTERM)
	if !configOK {
		stop()
		return errBadConfig
	}
	err := use(ctx)
	stop()
	return err
}

func notifyExitsOnBadConfig(configOK bool) error {
	ctx, stop := signal.NotifyContext(bg, os.Interrupt)
	if !configOK {
		log.Fatal(errBadConfig)
	}
	defer stop()
	return use(ctx)
}

// A local variable called signal shadows the os/signal package inside this
// function: its NotifyContext field is not os/signal.NotifyContext.
func localVariableNamedSignal() error {
	signal := struct {
		NotifyContext func(...os.Signal) (error, func())
	}{
		NotifyContext: func(...os.Signal) (error, func()) { return nil, func() {} },
	}
	err, _ := signal.NotifyContext(os.Interrupt)
	return err
}
