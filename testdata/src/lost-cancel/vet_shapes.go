package lostcancel

// The shapes that go vet's lostcancel analyzer is tested on, rewritten.
// goleaklint must be at least as precise on every one of them.

import (
	"context"
	"log"
	"os"
	"testing"
	"time"
)

// --- The three constructors and the three assignment forms (var, :=, =).

func varFormUsedInOneBranch(verbose bool) {
	var _, cancel = context.WithCancel(bg) // want "cancel function cancel is not called on every path, so the context returned by context.WithCancel can outlive this function"
	if verbose {
		_ = cancel
	}
}

func varFormUsedInBothBranches(verbose bool) {
	var _, cancel = context.WithCancel(bg)
	if verbose {
		cancel()
		return
	}
	_ = cancel
}

func defineFormUsedInOneBranch(verbose bool) {
	_, cancel2 := context.WithDeadline(bg, time.Now().Add(time.Minute)) // want "cancel function cancel2 is not called on every path, so the context returned by context.WithDeadline"
	if verbose {
		_ = cancel2
	}
}

func defineFormDeferred() {
	_, cancel2 := context.WithDeadline(bg, time.Now().Add(time.Minute))
	defer cancel2()
}

func assignFormUsedInOneBranch(verbose bool) {
	var cancel3 func()
	_, cancel3 = context.WithTimeout(bg, time.Second) // want "cancel function cancel3 is not called on every path, so the context returned by context.WithTimeout"
	if verbose {
		_ = cancel3
	}
}

func assignFormDeferred() {
	var cancel3 func()
	_, cancel3 = context.WithTimeout(bg, time.Second)
	defer cancel3()
}

// --- Discarding the cancel function with the blank identifier.

func discardedWithEachConstructor() {
	ctx, _ := context.WithCancel(bg)                               // want "the cancel function returned by context.WithCancel is discarded, so the context lives until its parent is cancelled"
	ctx, _ = context.WithTimeout(bg, time.Second)                  // want "the cancel function returned by context.WithTimeout is discarded"
	ctx, _ = context.WithDeadline(bg, time.Now().Add(time.Second)) // want "the cancel function returned by context.WithDeadline is discarded"
	_ = ctx
}

func keptWithEachConstructor() {
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	ctx, cancel2 := context.WithTimeout(ctx, time.Second)
	defer cancel2()
	ctx, cancel3 := context.WithDeadline(ctx, time.Now().Add(time.Second))
	defer cancel3()
	_ = ctx
}

func bothResultsDiscarded() {
	_, _ = context.WithTimeout(bg, time.Second) // want "cancel function returned by context.WithTimeout is discarded"
}

// --- defer.

func deferredDirectly() {
	_, cancel := context.WithCancel(bg)
	defer cancel()
}

func deferredInsideFuncLiteral() {
	_, cancel := context.WithCancel(bg)
	defer func() {
		cancel()
	}()
}

// --- A named result that is never read is a cancel function never used.

func namedResultDropped() (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancel = context.WithCancel(bg) // want "cancel function cancel is not called on every path"
	return ctx, nil
}

func namedResultReturned() (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancel = context.WithCancel(bg)
	return ctx, cancel
}

// A naked return reads the named results, so it hands cancel to the caller.
func nakedReturnOfNamedResults() (ctx context.Context, cancel func()) {
	ctx, cancel = context.WithCancel(bg)
	return
}

// The same for a function literal.
var newScope = func() (ctx context.Context, cancel func()) {
	ctx, cancel = context.WithCancel(bg)
	return
}

var newScopeLeaky = func(verbose bool) context.Context {
	ctx, cancel := context.WithCancel(bg) // want "cancel function cancel is not called on every path"
	if verbose {
		cancel()
	}
	return ctx
}

// --- if / else.

func calledInOneBranchOnly(ready bool) {
	_, cancel := context.WithCancel(bg) // want "cancel function cancel is not called on every path"
	if ready {
		cancel()
	}
	return
}

func calledInBothBranches(ready bool) {
	_, cancel := context.WithCancel(bg)
	if ready {
		cancel()
	} else {
		log.Print("not ready")
		cancel()
	}
}

func elseBranchLoopsForever(ready bool) {
	_, cancel := context.WithCancel(bg)
	if ready {
		cancel()
	} else {
		// This loop has no break: the end of the function is never reached.
		for {
			log.Print("spinning")
		}
	}
}

func elseBranchBoundedLoop(ready bool) {
	_, cancel := context.WithCancel(bg) // want "cancel function cancel is not called on every path"
	if ready {
		cancel()
	} else {
		for i := 0; i < 10; i++ {
			log.Print(i)
		}
	}
}

// --- switch: FailNow, log.Fatal, cancel, fallthrough into os.Exit.

func switchEveryCaseEnds(t *testing.T, n int) {
	_, cancel := context.WithCancel(bg)
	switch n {
	case 0:
		t.FailNow()
	case 1:
		log.Fatal("impossible state")
	case 2:
		cancel()
	case 3:
		log.Print("three")
		fallthrough
	default:
		os.Exit(1)
	}
}

func switchCaseFallsToImplicitReturn(t *testing.T, n int) {
	_, cancel := context.WithCancel(bg) // want "cancel function cancel is not called on every path"
	switch n {
	case 0:
		t.FailNow()
	case 1:
		log.Fatal("impossible state")
	case 2:
		cancel()
	case 3:
		log.Print("three") // no fallthrough: leaves the switch and returns
	default:
		os.Exit(1)
	}
}

// --- select: the same idea.

func selectCaseFallsToImplicitReturn(t *testing.T, ch chan int) {
	_, cancel := context.WithCancel(bg) // want "cancel function cancel is not called on every path"
	select {
	case <-ch:
		t.FailNow()
	case ch <- 2:
		log.Print("sent two") // leaves the select and returns
	case ch <- 1:
		cancel()
	default:
		os.Exit(1)
	}
}

func selectEveryCaseEnds(t *testing.T, ch chan int) {
	_, cancel := context.WithCancel(bg)
	select {
	case <-ch:
		t.FailNow()
	case ch <- 2:
		log.Panic("sent two")
	case ch <- 1:
		cancel()
	default:
		os.Exit(1)
	}
}

// A select without default runs one of its cases: here the only case panics,
// so the code after it is unreachable and no return is reached.
func blockingSelectThatPanics(ch chan int, verbose bool) {
	_, cancel := context.WithCancel(bg)
	select {
	case <-ch:
		panic("unexpected value")
	}
	if verbose {
		_ = cancel
	}
}

// --- Goroutines: a func literal is a function of its own.

func goroutineLeaksItsContext(verbose bool) {
	go func() {
		ctx, cancel := context.WithCancel(bg) // want "cancel function cancel is not called on every path"
		if verbose {
			_ = cancel
		}
		log.Print(ctx)
	}()
}

func goroutineCancelsItsContext() {
	go func() {
		ctx, cancel := context.WithCancel(bg)
		defer cancel()
		log.Print(ctx)
	}()
}

// --- Generic functions.

func genericUsedInOneBranch[T any](v T, verbose bool) T {
	var _, cancel = context.WithCancel(bg) // want "cancel function cancel is not called on every path"
	if verbose {
		_ = cancel
	}
	return v
}

func genericDeferred[T any](v T) T {
	_, cancel := context.WithCancel(bg)
	defer cancel()
	return v
}

// --- Variables that do not belong to the function are not analysed.

// Go issue 31856: cancel belongs to the outer function and is assigned in a
// func literal; the outer function calls it.
func cancelAssignedInsideFuncLiteral() {
	var cancel func()

	func() {
		_, cancel = context.WithCancel(bg)
	}()

	cancel()
}

// stopEverything is owned by the package: whoever shuts down calls it.
var stopEverything context.CancelFunc

func startRoot() context.Context {
	var ctx context.Context
	ctx, stopEverything = context.WithCancel(bg)
	return ctx
}

func shutdownRoot() {
	if stopEverything != nil {
		stopEverything()
	}
}
