// Built for GOOS=windows only, by its name.

package winonly

import "context"

func onlyWindows(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
