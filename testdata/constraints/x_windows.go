// Built for GOOS=windows only, by its name.

package constraints

import "context"

func onWindows(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
