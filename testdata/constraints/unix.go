//go:build unix && !integration

// Built on Unix systems without the integration tag.

package constraints

import "context"

func onUnix(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
