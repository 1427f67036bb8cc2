package unusedsuppression

import (
	"context"
	"errors"
	"time"
)

var errInvalid = errors.New("invalid")

// Used: the directive on the line above silences the finding.
func ignoredAbove(parent context.Context, bad bool) error {
	//goleaklint:ignore lost-cancel the parent is cancelled by the caller right after
	ctx, cancel := context.WithTimeout(parent, time.Second)
	if bad {
		return errInvalid
	}
	cancel()
	return ctx.Err()
}

// Used: a trailing directive silences its own line.
func ignoredTrailing(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent) //goleaklint:ignore lost-cancel detached on purpose
	return ctx
}

// Used: golangci-lint's spelling.
func nolintTrailing(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent) //nolint:goleaklint // detached on purpose
	return ctx
}

// Used: nolint with several linters named.
func nolintList(parent context.Context) context.Context {
	//nolint:errcheck,goleaklint
	ctx, _ := context.WithCancel(parent)
	return ctx
}

// Silent: a bare nolint silences every linter and is never reported.
func bareNolint(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent) //nolint
	return ctx
}

// Unused: nothing to silence on the next line.
func stale(parent context.Context) error {
	//goleaklint:ignore lost-cancel kept from an older version // want "this suppression silences nothing"
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	return ctx.Err()
}

// Unused: nolint:goleaklint with nothing to silence.
func staleNolint(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent) //nolint:goleaklint // want "this suppression silences nothing"
	defer cancel()
	return ctx.Err()
}

// Malformed: an unknown rule name silences nothing.
func misspelt(parent context.Context) context.Context {
	//goleaklint:ignore lost-cancl detached on purpose // want "malformed suppression: unknown rule `lost-cancl`"
	ctx, _ := context.WithCancel(parent) // want "cancel function returned by context.WithCancel is discarded"
	return ctx
}

// Malformed: a reason is required.
func noReason(parent context.Context) context.Context {
	//goleaklint:ignore lost-cancel // want "needs a reason"
	ctx, _ := context.WithCancel(parent) // want "cancel function returned by context.WithCancel is discarded"
	return ctx
}

// Malformed: an unknown verb.
func unknownVerb(parent context.Context) context.Context {
	//goleaklint:disable lost-cancel // want "unknown directive `goleaklint:disable`"
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	return ctx
}

// Not a directive: inside a string literal.
func inString() string {
	return "//goleaklint:ignore lost-cancel not a comment"
}
