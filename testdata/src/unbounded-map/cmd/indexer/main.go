// Command indexer indexes documents until it is interrupted: the signal
// cancels its work, so it runs for the life of the process.
package main

import (
	"context"
	"os"
	"os/signal"
	"time"
)

var indexed = map[string]time.Time{} // want "package-level map indexed only grows: .* for the life of the process"

func index(doc string) {
	indexed[doc] = time.Now()
}

func run(ctx context.Context, docs <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case d := <-docs:
			index(d)
		}
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	go func() {
		<-sig
		cancel()
	}()
	run(ctx, make(chan string))
}
