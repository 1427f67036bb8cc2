// Package main checks that returning from main.main, which ends the
// process, is not a lost cancel (as in go vet), while every other
// function of the package is checked as usual.
package main

import (
	"context"
	"log"
	"os"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	if len(os.Args) < 2 {
		log.Print("usage: mainpkg NAME")
		return
	}
	if err := run(ctx, os.Args[1]); err != nil {
		log.Print(err)
		return
	}
	cancel()

	// A goroutine started by main is a function of its own: it is checked.
	done := make(chan struct{})
	go func() {
		defer close(done)
		wctx, wcancel := context.WithCancel(context.Background()) // want "cancel function wcancel is not called on every path"
		if err := run(wctx, "worker"); err != nil {
			return
		}
		wcancel()
	}()
	<-done
}

// Dropping the cancel function with `_` is still reported in main, as go vet does.
func init() {
	ctx, _ := context.WithCancel(context.Background()) // want "the cancel function returned by context.WithCancel is discarded"
	_ = run(ctx, "init")
}

// A function called main in another position (a method) is not main.main.
type tool struct{}

func (tool) main(parent context.Context, name string) error {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	if name == "" {
		return nil
	}
	defer cancel()
	return run(ctx, name)
}

func notMain(parent context.Context, name string) error {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	if name == "" {
		return nil
	}
	defer cancel()
	return run(ctx, name)
}

func run(ctx context.Context, name string) error {
	if name == "" {
		return os.ErrInvalid
	}
	return ctx.Err()
}
