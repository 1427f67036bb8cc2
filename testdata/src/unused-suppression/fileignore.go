//goleaklint:file-ignore lost-cancel contexts here are detached by design

package unusedsuppression

import "context"

func detached(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
