// Package lostcancel holds the fixtures of the lost-cancel rule.
//
// Lines that must be reported end with a want comment; every other line
// must stay silent. This file only holds helpers shared by the fixtures.
package lostcancel

import (
	"context"
	"errors"
)

// bg stands for a long-lived parent context, such as a server's base context.
var bg = context.Background()

var (
	errEmpty     = errors.New("empty item")
	errBadConfig = errors.New("bad configuration")
	errDisabled  = errors.New("feature disabled")
)

// use does a little work with ctx.
func use(ctx context.Context) error {
	return ctx.Err()
}

// work processes one item under ctx.
func work(ctx context.Context, item string) error {
	if item == "" {
		return errEmpty
	}
	return ctx.Err()
}
