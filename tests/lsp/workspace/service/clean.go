package service

import "context"

// Clean cancels on every path.
func Clean(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	_, err := lookup(ctx, "k")
	return err
}
