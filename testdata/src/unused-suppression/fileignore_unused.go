//goleaklint:file-ignore lost-cancel nothing in this file needs it // want "this suppression silences nothing"

package unusedsuppression

import "context"

func clean(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	return ctx.Err()
}
