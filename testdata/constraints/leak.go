// Built everywhere.

package constraints

import "context"

func everywhere(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
