// Package constraints shows how build constraints pick files.
// +build windows
// The line above is documentation, not a constraint: no blank line follows it.
package constraints

import "context"

func documented(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
