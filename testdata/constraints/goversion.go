//go:build go1.21 && !go1.99

// Built by every release from go1.21 on (and before the imaginary go1.99).

package constraints

import "context"

func releaseTags(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
