//go:build integration

// Built with -tags integration.

package constraints

import "context"

func withIntegrationTag(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
