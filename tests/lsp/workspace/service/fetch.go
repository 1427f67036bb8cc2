package service

import (
	"context"
	"time"
)

func lookup(ctx context.Context, key string) (string, error) {
	return key, ctx.Err()
}

// Fetch forgets to cancel its timeout on the error path.
func Fetch(parent context.Context, key string) (string, error) {
	ctxÉté, cancel := context.WithTimeout(parent, time.Second)
	v, err := lookup(ctxÉté, key)
	if err != nil {
		return "", err
	}
	cancel()
	return v, nil
}
