// Command gendocs renders the pages named on its command line and exits. It
// removes its temporary directory when interrupted, and parks a failing
// worker while the process exits: neither makes it a server.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
)

var rendered = map[string]string{} // want "package-level map rendered only grows: .* until the command exits"

var dying = make(chan struct{})

func render(page string) string {
	if out, ok := rendered[page]; ok {
		return out
	}
	out := "<h1>" + page + "</h1>"
	rendered[page] = out
	return out
}

func wait(wg *sync.WaitGroup) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-dying:
		select {}
	}
}

func main() {
	tmp, _ := os.MkdirTemp("", "gendocs")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	go func() {
		<-sig
		os.RemoveAll(tmp)
		os.Exit(2)
	}()
	var wg sync.WaitGroup
	for _, p := range os.Args[1:] {
		wg.Add(1)
		go func(p string) {
			defer wg.Done()
			fmt.Println(render(p))
		}(p)
	}
	wait(&wg)
}
