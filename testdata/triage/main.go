// Command leakysvc runs its leaks a known number of times, then writes its own
// goroutine profile: `leakysvc DEBUG1_FILE DEBUG2_FILE`.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"example.com/leakysvc/worker"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: leakysvc DEBUG1_FILE DEBUG2_FILE")
		os.Exit(2)
	}
	for i := 0; i < 120; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		_, _ = worker.Lookup(ctx, "q")
		_, _ = worker.LookupFixed(ctx, "q")
		cancel()
	}
	for i := 0; i < 3; i++ {
		worker.Process([]string{"a", "b"}, func(string) {})
		worker.ProcessFixed([]string{"a", "b"}, func(string) {})
	}
	for i := 0; i < 2; i++ {
		_ = worker.Watch(context.Background(), false)
		_ = worker.Watch(context.Background(), true)
	}
	worker.Guard.Lock()
	go worker.Contend()
	// Let every sender reach its send and every waiter park.
	time.Sleep(300 * time.Millisecond)
	for i, name := range os.Args[1:] {
		f, err := os.Create(name)
		if err == nil {
			err = pprof.Lookup("goroutine").WriteTo(f, i+1)
		}
		if err == nil {
			err = f.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
