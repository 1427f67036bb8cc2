// A test file for GOOS=windows only, by its name.

package constraints

import "context"

func onWindowsTest(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
