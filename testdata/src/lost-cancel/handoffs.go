package lostcancel

// Ownership: a cancel function that is returned, stored or passed on is
// handed off to someone else, who is then responsible for calling it.

import (
	"context"
	"sync"
	"time"
)

type worker struct {
	ctx    context.Context
	cancel context.CancelFunc
}

type registry struct {
	mu      sync.Mutex
	cancels map[string]context.CancelFunc
	workers []*worker
	pending []context.CancelFunc
}

type closerFunc func()

func (f closerFunc) Close() error {
	f()
	return nil
}

// shutdownHook is called by the process on exit.
var shutdownHook context.CancelFunc

func returnedToCaller(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	return ctx, cancel
}

func returnedOnlyOnSuccess(parent context.Context, enabled bool) (context.Context, context.CancelFunc, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want "cancel function cancel is not called on every path"
	if !enabled {
		return nil, nil, errDisabled
	}
	return ctx, cancel, nil
}

func returnedInsideStruct(parent context.Context) worker {
	ctx, cancel := context.WithCancel(parent)
	return worker{ctx: ctx, cancel: cancel}
}

func returnedInsidePointerStruct(parent context.Context) *worker {
	ctx, cancel := context.WithCancel(parent)
	return &worker{ctx, cancel}
}

func returnedStructWithoutCancel(parent context.Context, item string) (*worker, error) {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	if err := work(ctx, item); err != nil {
		cancel()
		return nil, err
	}
	return &worker{ctx: ctx}, nil
}

func returnedAsCloser(parent context.Context) (context.Context, closerFunc) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, closerFunc(cancel)
}

func returnedInClosure(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, func() {
		cancel()
	}
}

func (w *worker) startFields(parent context.Context) {
	w.ctx, w.cancel = context.WithCancel(parent) // want `the cancel func of context.WithCancel\(…\) replaces worker.cancel without releasing the old value`
}

func (w *worker) startFieldCancelDiscarded(parent context.Context) {
	w.ctx, _ = context.WithCancel(parent) // want "cancel function returned by context.WithCancel is discarded"
}

func (w *worker) storeInField(parent context.Context) {
	ctx, cancel := context.WithCancel(parent) // want `the cancel func of context.WithCancel\(…\) replaces worker.cancel without releasing the old value`
	w.ctx = ctx
	w.cancel = cancel
}

func (w *worker) storeInFieldAfterCheck(parent context.Context, enabled bool) error {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	if !enabled {
		return errDisabled
	}
	w.ctx, w.cancel = ctx, cancel
	return nil
}

func (w *worker) stop() {
	if w.cancel != nil {
		w.cancel()
	}
}

func (r *registry) storeInMap(parent context.Context, id string) context.Context {
	ctx, cancel := context.WithCancel(parent)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cancels[id] = cancel
	return ctx
}

func (r *registry) storeInMapWhenNew(parent context.Context, id string) context.Context {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.cancels[id]; dup {
		return nil
	}
	r.cancels[id] = cancel
	return ctx
}

func (r *registry) cancelByID(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if cancel, ok := r.cancels[id]; ok {
		cancel()
		delete(r.cancels, id)
	}
}

func (r *registry) storeInStructLiteral(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	w := &worker{ctx: ctx, cancel: cancel}
	r.mu.Lock()
	r.workers = append(r.workers, w)
	r.mu.Unlock()
	return ctx
}

func (r *registry) appendedToField(parent context.Context) context.Context {
	ctx, cancel := context.WithTimeout(parent, time.Minute) // want `the cancel func of context.WithTimeout\(…\) is stored in registry.pending, but registry has no Close or Stop method`
	r.mu.Lock()
	r.pending = append(r.pending, cancel)
	r.mu.Unlock()
	return ctx
}

func (r *registry) track(cancel context.CancelFunc) {
	r.mu.Lock()
	r.pending = append(r.pending, cancel)
	r.mu.Unlock()
}

func (r *registry) passedToFunction(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	r.track(cancel)
	return use(ctx)
}

func (r *registry) passedToFunctionTooLate(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent) // want "cancel function cancel is not called on every path"
	if err := use(ctx); err != nil {
		return err
	}
	r.track(cancel)
	return nil
}

func sentOnChannel(parent context.Context, out chan<- context.CancelFunc) context.Context {
	ctx, cancel := context.WithCancel(parent)
	out <- cancel
	return ctx
}

func sentInsideStructOnChannel(parent context.Context, out chan<- worker) {
	ctx, cancel := context.WithCancel(parent)
	out <- worker{ctx: ctx, cancel: cancel}
}

func appendedToLocalSlice(parent context.Context, shards []string) error {
	var cancels []context.CancelFunc
	defer func() {
		for _, cancel := range cancels {
			cancel()
		}
	}()
	for _, shard := range shards {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		cancels = append(cancels, cancel)
		if err := work(ctx, shard); err != nil {
			return err
		}
	}
	return nil
}

func capturedByClosureThatIsCalled(parent context.Context, items []string) error {
	ctx, cancel := context.WithCancel(parent)
	finish := func() {
		cancel()
	}
	defer finish()
	for _, item := range items {
		if err := work(ctx, item); err != nil {
			return err
		}
	}
	return nil
}

func copiedToAnotherVariable(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	release := cancel
	defer release()
	return use(ctx)
}

func storedInPackageVariable(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	shutdownHook = cancel
	return ctx
}
