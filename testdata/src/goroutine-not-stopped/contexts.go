package goroutinenotstopped

import (
	"context"
	"time"
)

// A context derived from Background whose cancel is stored and never called.
type syncer struct {
	ctx    context.Context
	cancel context.CancelFunc
	every  time.Duration
}

func newSyncer() *syncer {
	ctx, cancel := context.WithCancel(context.Background()) // want `the cancel func of context.WithCancel\(…\) is stored in syncer.cancel, but syncer has no Close or Stop method`
	s := &syncer{ctx: ctx, cancel: cancel, every: time.Second}
	go s.loop()
	return s
}

func (s *syncer) loop() {
	t := time.NewTimer(s.every)
	defer t.Stop()
	for { // want `goroutine never ends: this loop leaves only when syncer.ctx is cancelled, and nothing calls its cancel func`
		select {
		case <-t.C:
			t.Reset(s.every)
		case <-s.ctx.Done():
			return
		}
	}
}

// The same with a Close that cancels.
type mirror struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newMirror() *mirror {
	ctx, cancel := context.WithCancel(context.Background())
	m := &mirror{ctx: ctx, cancel: cancel}
	go m.loop()
	return m
}

func (m *mirror) loop() {
	for {
		select {
		case <-m.ctx.Done():
			return
		}
	}
}

func (m *mirror) Close() { m.cancel() }

// A context from the caller: the caller's cancel ends it.
type follower struct {
	ctx context.Context
}

func follow(ctx context.Context) *follower {
	f := &follower{ctx: ctx}
	go func() {
		for {
			select {
			case <-f.ctx.Done():
				return
			}
		}
	}()
	return f
}
