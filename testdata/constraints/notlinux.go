// +build !linux

// Built wherever GOOS is not linux (a legacy line, followed by a blank line).

package constraints

import "context"

func notLinux(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
