// Package dotimport checks lost-cancel through a dot import of "context".
//
// It is a package of its own because a dot import of "context" cannot live
// in the same package as a package-level function named WithCancel (see
// ../localctx.go).
package dotimport

import (
	. "context"
	"time"
)

var base = Background()

func dotImportDiscarded() Context {
	ctx, _ := WithTimeout(base, time.Second) // want "cancel function returned by (context.)?WithTimeout is discarded"
	return ctx
}

func dotImportDeferred() error {
	ctx, cancel := WithTimeout(base, time.Second)
	defer cancel()
	return ctx.Err()
}

func dotImportEarlyReturn(name string) error {
	ctx, cancel := WithCancel(base) // want "cancel function cancel is not called on every path, so the context returned by (context.)?WithCancel"
	if name == "" {
		return Canceled
	}
	cancel()
	return ctx.Err()
}

func dotImportCancelOnEveryPath(name string) error {
	ctx, cancel := WithCancel(base)
	if name == "" {
		cancel()
		return Canceled
	}
	cancel()
	return ctx.Err()
}

// A local variable named WithCancel shadows the dot-imported function.
func dotImportShadowedByLocal() Context {
	WithCancel := func(p Context) (Context, func()) { return p, func() {} }
	ctx, _ := WithCancel(base)
	return ctx
}
