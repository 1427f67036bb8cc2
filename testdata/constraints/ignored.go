//go:build ignore

// A generator's kind of file: never built, unless named on the command line.

package constraints

import "context"

func ignoredFile(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
