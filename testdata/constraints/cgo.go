// Built only with cgo enabled: it imports "C".

package constraints

/*
#include <stdlib.h>
*/
import "C"

import "context"

func withCgo(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
