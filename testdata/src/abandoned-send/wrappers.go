package abandonedsend

import (
	"context"
	"strings"
)

// Sends behind a local wrapper (`send := func(v T) { ch <- v }`, or a local
// closure started with `go work()`) are the goroutine's sends: the wrapper
// runs where it is called.

func quoteFor(id string) string { return strings.ToUpper(id) }

// firstQuote gives up on ctx while the goroutine's wrapper still sends.
func firstQuote(ctx context.Context, id string) (string, error) {
	quotes := make(chan string)
	send := func(q string) {
		quotes <- q // want "goroutine blocks forever sending on quotes: the select returns on another case and nobody receives"
	}
	go func() {
		send(quoteFor(id))
	}()
	select {
	case q := <-quotes:
		return q, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// firstQuoteWork starts the local closure itself.
func firstQuoteWork(ctx context.Context, id string) (string, error) {
	quotes := make(chan string)
	work := func() {
		quotes <- quoteFor(id) // want "goroutine blocks forever sending on quotes: the select returns on another case and nobody receives"
	}
	go work()
	select {
	case q := <-quotes:
		return q, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// quoteStream sends every quote through the wrapper and returns before
// taking them all.
func quoteStream(ids []string) string {
	quotes := make(chan string)
	send := func(q string) {
		quotes <- q // want "goroutine blocks forever sending on quotes: the function stops receiving before the producer is done"
	}
	go func() {
		for _, id := range ids {
			send(quoteFor(id))
		}
		close(quotes)
	}()
	for q := range quotes {
		if q == "" {
			return "blank"
		}
	}
	return "ok"
}

// firstQuoteCancellable's wrapper selects on ctx beside the send.
func firstQuoteCancellable(ctx context.Context, id string) (string, error) {
	quotes := make(chan string)
	send := func(q string) {
		select {
		case quotes <- q:
		case <-ctx.Done():
		}
	}
	go func() {
		send(quoteFor(id))
	}()
	select {
	case q := <-quotes:
		return q, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// firstQuoteBuffered has room for the one value.
func firstQuoteBuffered(ctx context.Context, id string) (string, error) {
	quotes := make(chan string, 1)
	send := func(q string) {
		quotes <- q
	}
	go func() {
		send(quoteFor(id))
	}()
	select {
	case q := <-quotes:
		return q, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// firstQuoteWaited waits for the wrapper's value on every path.
func firstQuoteWaited(id string) string {
	quotes := make(chan string)
	work := func() {
		quotes <- quoteFor(id)
	}
	go work()
	return <-quotes
}
