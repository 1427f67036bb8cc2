package lostcancel

// Control flow: the cancel function must be used on every path from the
// context.With... call to a return of the function.

import (
	"context"
	"log"
	"runtime"
	"testing"
	"time"
)

type client struct {
	timeout time.Duration
}

func (c *client) get(ctx context.Context, id string) (string, error) {
	if id == "" {
		return "", errEmpty
	}
	return id, ctx.Err()
}

// --- Early returns.

func (c *client) fetchEarlyReturnSkipsCancel(parent context.Context, id string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, c.timeout) // want "cancel function cancel is not called on every path"
	v, err := c.get(ctx, id)
	if err != nil {
		return "", err
	}
	cancel()
	return v, nil
}

func (c *client) fetchCancelBeforeEachReturn(parent context.Context, id string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, c.timeout)
	v, err := c.get(ctx, id)
	if err != nil {
		cancel()
		return "", err
	}
	cancel()
	return v, nil
}

func (c *client) fetchCancelRightAfterCall(parent context.Context, id string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, c.timeout)
	v, err := c.get(ctx, id)
	cancel()
	if err != nil {
		return "", err
	}
	return v, nil
}

func deferAfterValidation(parent context.Context, name string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
	if name == "" {
		return errEmpty
	}
	defer cancel()
	return work(ctx, name)
}

func deferBeforeValidation(parent context.Context, name string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	if name == "" {
		return errEmpty
	}
	return work(ctx, name)
}

func deferOnlyWhenVerbose(parent context.Context, verbose bool) error {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	if verbose {
		defer cancel()
	}
	return use(ctx)
}

func cancelInIfInitError(parent context.Context, name string) error {
	ctx, cancel := context.WithCancel(parent)
	if err := work(ctx, name); err != nil {
		cancel()
		return err
	}
	cancel()
	return nil
}

// --- Paths that end without returning: panic, log, runtime.Goexit, testing.

func endsInPanicOrFatal(t *testing.T, parent context.Context, mode int) {
	ctx, cancel := context.WithCancel(parent)
	switch mode {
	case 0:
		panic("mode 0 is not supported")
	case 1:
		log.Panicf("mode %d is not supported", mode)
	case 2:
		log.Fatalln("mode 2 is not supported")
	case 3:
		runtime.Goexit()
	case 4:
		t.Fatalf("mode %d", mode)
	case 5:
		t.Fatal("mode 5")
	}
	defer cancel()
	if err := use(ctx); err != nil {
		t.Fatal(err)
	}
}

func logPrintDoesNotEndThePath(parent context.Context, mode int) {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	if mode < 0 {
		log.Printf("bad mode %d", mode)
		return
	}
	defer cancel()
	log.Print(use(ctx))
}

// An empty select blocks forever: the function never returns.
func blocksForever(parent context.Context, verbose bool) {
	ctx, cancel := context.WithCancel(parent)
	log.Print(use(ctx))
	if verbose {
		_ = cancel
	}
	select {}
}

// --- Loops.

func returnInsideLoopSkipsCancel(parent context.Context, items []string) error {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	for _, it := range items {
		if err := work(ctx, it); err != nil {
			cancel()
			return err
		}
	}
	return nil
}

func returnInsideLoopAfterCancel(parent context.Context, items []string) error {
	ctx, cancel := context.WithCancel(parent)
	for _, it := range items {
		if err := work(ctx, it); err != nil {
			cancel()
			return err
		}
	}
	cancel()
	return nil
}

func perItemTimeoutReturnSkipsCancel(parent context.Context, items []string) error {
	for _, it := range items {
		ctx, cancel := context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
		if err := work(ctx, it); err != nil {
			return err
		}
		cancel()
	}
	return nil
}

func perItemTimeoutCancelledEachIteration(parent context.Context, items []string) error {
	for _, it := range items {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		err := work(ctx, it)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

func continueSkipsCancel(parent context.Context, items []string) {
	for _, it := range items {
		ctx, cancel := context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
		if it == "skip" {
			continue
		}
		log.Print(work(ctx, it))
		cancel()
	}
}

func continueAfterCancel(parent context.Context, items []string) {
	for _, it := range items {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		if it == "skip" {
			cancel()
			continue
		}
		log.Print(work(ctx, it))
		cancel()
	}
}

func labeledBreakSkipsCancel(parent context.Context, batches [][]string) {
outer:
	for _, batch := range batches {
		for _, it := range batch {
			ctx, cancel := context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
			if it == "" {
				break outer
			}
			log.Print(work(ctx, it))
			cancel()
		}
	}
}

func labeledBreakAfterCancel(parent context.Context, batches [][]string) {
outer:
	for _, batch := range batches {
		for _, it := range batch {
			ctx, cancel := context.WithTimeout(parent, time.Second)
			err := work(ctx, it)
			cancel()
			if err != nil {
				break outer
			}
		}
	}
}

func labeledContinueAfterCancel(parent context.Context, batches [][]string) {
next:
	for _, batch := range batches {
		for _, it := range batch {
			ctx, cancel := context.WithTimeout(parent, time.Second)
			err := work(ctx, it)
			cancel()
			if err != nil {
				continue next
			}
		}
	}
}

// The break leaves the labeled for loop, and the function returns.
func infiniteLoopLeftByLabeledBreak(parent context.Context, ch <-chan int) {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	log.Print(use(ctx))
loop:
	for {
		select {
		case v := <-ch:
			if v < 0 {
				break loop
			}
			if v == 0 {
				cancel()
				return
			}
		}
	}
}

// A plain break inside select only leaves the select: the for loop never
// ends, so the only way out is the return after cancel.
func infiniteLoopBreakLeavesOnlySelect(parent context.Context, ch <-chan int) {
	ctx, cancel := context.WithCancel(parent)
	log.Print(use(ctx))
	for {
		select {
		case v := <-ch:
			if v < 0 {
				break
			}
			if v == 0 {
				cancel()
				return
			}
		}
	}
}

// --- goto.

func gotoSkipsCancel(parent context.Context, name string) {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	if name == "" {
		goto done
	}
	log.Print(work(ctx, name))
	cancel()
done:
	log.Print("done")
}

func gotoCleanup(parent context.Context, name string) {
	ctx, cancel := context.WithCancel(parent)
	if name == "" {
		goto cleanup
	}
	log.Print(work(ctx, name))
cleanup:
	cancel()
}

// --- Type switch.

func typeSwitchCaseSkipsCancel(parent context.Context, v any) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
	switch x := v.(type) {
	case string:
		defer cancel()
		return work(ctx, x)
	case error:
		return x
	default:
		cancel()
		return nil
	}
}

func typeSwitchEveryCaseCancels(parent context.Context, v any) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	switch x := v.(type) {
	case string:
		defer cancel()
		return work(ctx, x)
	case error:
		cancel()
		return x
	default:
		cancel()
		return nil
	}
}

// --- return inside a select case.

func returnInSelectCaseSkipsCancel(parent context.Context, results <-chan string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
	select {
	case r := <-results:
		cancel()
		return r, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func returnInSelectCaseDeferred(parent context.Context, results <-chan string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	select {
	case r := <-results:
		return r, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// --- Returns inside a func literal are not returns of the enclosing function.

func returnsInsideFuncLiteral(parent context.Context, items []string) error {
	ctx, cancel := context.WithCancel(parent)
	check := func(it string) error {
		if it == "" {
			return errEmpty
		}
		return nil
	}
	var firstErr error
	for _, it := range items {
		err := check(it)
		if err == nil {
			err = work(ctx, it)
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	cancel()
	return firstErr
}

// --- Shadowing: each binding is checked on its own.

// The outer cancel is deferred; the inner one, a new variable, leaks when
// use fails.
func shadowedInnerLeaks(parent context.Context, retry bool) error {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second)
	defer cancel()
	if retry {
		ctx, cancel := context.WithTimeout(ctx, time.Second) // want "cancel function cancel is not called on every path"
		if err := use(ctx); err != nil {
			return err
		}
		cancel()
	}
	return use(ctx)
}

// The inner cancel is deferred; the outer one is skipped by the inner return.
func shadowedOuterLeaks(parent context.Context, fast bool) error {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	if fast {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		return use(ctx)
	}
	err := use(ctx)
	cancel()
	return err
}

func shadowedBothDeferred(parent context.Context, fast bool) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	if fast {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		return use(ctx)
	}
	return use(ctx)
}

// --- Assigning to existing variables with =.

func reassignedLocalSkipsCancel(parent context.Context) error {
	var ctx context.Context
	var cancel context.CancelFunc
	ctx, cancel = context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
	if err := use(ctx); err != nil {
		return err
	}
	cancel()
	return nil
}

func reassignedLocalDeferred(parent context.Context) error {
	var ctx context.Context
	var cancel context.CancelFunc
	ctx, cancel = context.WithTimeout(parent, time.Second)
	defer cancel()
	return use(ctx)
}

// defer evaluates cancel when the defer statement runs: it calls the first
// cancel function, and the second one is never used.
func reassignedAfterDefer(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, time.Second) // want "cancel function cancel is not called on every path"
	return use(ctx)
}

func reassignedAndDeferredAgain(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, time.Second)
	defer cancel()
	return use(ctx)
}

// --- var declarations.

func varDeclarationSkipsCancel(parent context.Context, name string) error {
	var ctx, cancel = context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
	if name == "" {
		return errEmpty
	}
	defer cancel()
	return work(ctx, name)
}

func varDeclarationDeferred(parent context.Context, name string) error {
	var ctx, cancel = context.WithTimeout(parent, time.Second)
	defer cancel()
	if name == "" {
		return errEmpty
	}
	return work(ctx, name)
}

// --- Named results.

func namedResultsExplicitErrorReturn(parent context.Context, name string) (ctx context.Context, cancel context.CancelFunc, err error) {
	ctx, cancel = context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	if name == "" {
		return nil, nil, errEmpty
	}
	return
}

func namedResultsCancelOnError(parent context.Context, name string) (ctx context.Context, cancel context.CancelFunc, err error) {
	ctx, cancel = context.WithCancel(parent)
	if name == "" {
		cancel()
		return nil, nil, errEmpty
	}
	return
}
