package abandonedsend

import (
	"context"
	"errors"
)

// The shapes of the Go runtime's goroutine leak profile tests and of a
// production handler that leaked once per cancelled request, each reported
// at the send that blocks.

type outcome struct {
	value string
}

func compute() outcome { return outcome{value: "done"} }

// handleRequest returns when the client goes away; the worker stays blocked.
func handleRequest(ctx context.Context) outcome {
	ch := make(chan outcome)
	go func() {
		ch <- compute() // want "goroutine blocks forever sending on ch: the select returns on another case and nobody receives"
	}()
	select {
	case r := <-ch:
		return r
	case <-ctx.Done():
		return outcome{}
	}
}

// waitOrCancel falls off the end after the cancellation case.
func waitOrCancel(ctx context.Context) {
	ch := make(chan struct{})
	go func() {
		ch <- struct{}{} // want "goroutine blocks forever sending on ch: the select returns on another case and nobody receives"
	}()
	select {
	case <-ch:
	case <-ctx.Done():
	}
}

// bailOut returns on an error before the receive.
func bailOut(err error) {
	ch := make(chan struct{})
	go func() {
		ch <- struct{}{} // want "goroutine blocks forever sending on ch: a return before the receive abandons it"
	}()
	if err != nil {
		return
	}
	<-ch
}

// firstOfMany keeps the first of many results.
func firstOfMany(items []string) {
	ch := make(chan struct{})
	for range items {
		go func() {
			ch <- struct{}{} // want "goroutines block forever sending on ch: len\\(items\\) senders but the function stops receiving early"
		}()
	}
	<-ch
}

// sendTwice forgets to return after the error send.
func sendTwice(ch chan error, err error) {
	if err != nil {
		ch <- err
	}
	ch <- nil // want "goroutine blocks forever on its second send on ch: only one value is received"
}

// reportOnce takes one value from sendTwice.
func reportOnce() error {
	ch := make(chan error)
	go sendTwice(ch, errors.New("failed"))
	return <-ch
}
