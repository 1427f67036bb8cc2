// Built for linux/amd64 only, by its name.

package constraints

import "context"

func onLinuxAmd64(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
