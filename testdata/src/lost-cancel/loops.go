package lostcancel

// A cancel variable that lives across iterations of a loop: the next
// iteration may replace it, unless a guard shows the previous cancel
// function was already called or was never set.

import (
	"context"
	"log"
	"time"
)

type event struct {
	start bool
	name  string
}

// --- Replaced with no guard: each iteration loses the previous cancel.

func replacedEachIteration(parent context.Context, names []string) {
	var ctx context.Context
	var cancel context.CancelFunc
	for _, name := range names {
		ctx, cancel = context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
		log.Print(work(ctx, name))
	}
	if cancel != nil {
		cancel()
	}
}

// Overwritten by a second assignment before the first is called.
func overwrittenBeforeCalled(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	ctx, cancel = context.WithTimeout(ctx, time.Second)
	defer cancel()
	return use(ctx)
}

// --- Guarded by a flag set with the context: `if running { cancel() }`.

func restartedUnderFlag(parent context.Context, events <-chan event) {
	var cancel context.CancelFunc
	running := false
	for ev := range events {
		if running {
			cancel()
			running = false
		}
		if ev.start {
			var ctx context.Context
			ctx, cancel = context.WithCancel(parent)
			running = true
			go func() { log.Print(use(ctx)) }()
		}
	}
	if running {
		cancel()
	}
}

// The flag is set before the context is created, in the same block.
func restartedUnderFlagSetFirst(parent context.Context, events <-chan event) {
	var cancel context.CancelFunc
	var running bool
	for ev := range events {
		if running {
			cancel()
		}
		running = true
		var ctx context.Context
		ctx, cancel = context.WithCancel(parent)
		log.Print(work(ctx, ev.name))
	}
	if running {
		cancel()
	}
}

// --- Created only when none is held: `if cancel == nil { … }`.

func createdOnceWhenNil(parent context.Context, names []string) {
	var ctx context.Context
	var cancel context.CancelFunc
	for _, name := range names {
		if cancel == nil {
			ctx, cancel = context.WithCancel(parent)
		}
		log.Print(work(ctx, name))
	}
	if cancel != nil {
		cancel()
	}
}

// --- The previous one is cancelled first: `if cancel != nil { cancel() }`.

func previousCancelledFirst(parent context.Context, names []string) {
	var ctx context.Context
	var cancel context.CancelFunc
	for _, name := range names {
		if cancel != nil {
			cancel()
		}
		ctx, cancel = context.WithTimeout(parent, time.Second)
		log.Print(work(ctx, name))
	}
	if cancel != nil {
		cancel()
	}
}

// The guard tests the context that came with the cancel function.
func previousCancelledWhenContextSet(parent context.Context, names []string) {
	var ctx context.Context
	cancel := func() {}
	for _, name := range names {
		if ctx != nil {
			cancel()
		}
		ctx, cancel = context.WithTimeout(parent, time.Second)
		log.Print(work(ctx, name))
	}
	cancel()
}

// The same guard, but nothing cancels the last one.
func lastOneNeverCancelled(parent context.Context, names []string) {
	var ctx context.Context
	var cancel context.CancelFunc
	for _, name := range names {
		if cancel != nil {
			cancel()
		}
		ctx, cancel = context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
		log.Print(work(ctx, name))
	}
}

// --- The same condition guards the call and the skip.

func sameConditionTwice(parent context.Context, names []string, verbose bool) {
	for _, name := range names {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		if verbose {
			log.Print("start ", name)
		}
		err := work(ctx, name)
		if !verbose {
			cancel()
			continue
		}
		log.Print(err)
		if verbose {
			cancel()
		}
	}
}
