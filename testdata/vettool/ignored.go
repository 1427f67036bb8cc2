//go:build ignore

// This file is excluded by its build constraint: go vet never hands it to
// the tool, so its leak must not be reported.
package vetdemo

import "context"

func ignored(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
