// Package clean releases everything it acquires.
package clean

import (
	"context"
	"time"
)

// Fast cancels its context on every path.
func Fast(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	return ctx.Err()
}
