// Package vetdemo has one lost cancel function, for the go vet -vettool test.
package vetdemo

import (
	"context"
	"time"
)

// Slow leaks its timer when the lookup fails.
func Slow(parent context.Context, key string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	v, err := lookup(ctx, key)
	if err != nil {
		return "", err
	}
	cancel()
	return v, nil
}

func lookup(ctx context.Context, key string) (string, error) {
	return key, ctx.Err()
}
