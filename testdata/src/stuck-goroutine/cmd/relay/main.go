// Command relay copies standard input to standard output through a
// goroutine. Goroutines started from main live as long as the process: the
// range over lines is not reported, and the endless status loop is a note.
package main

import (
	"bufio"
	"fmt"
	"os"
	"time"
)

func main() {
	lines := make(chan string)
	go func() {
		for l := range lines {
			fmt.Println(l)
		}
	}()

	go func() {
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for { // want "a note only: started from `main`"
			<-t.C
			fmt.Fprintln(os.Stderr, "relay: still running")
		}
	}()

	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		lines <- sc.Text()
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "relay:", err)
		os.Exit(1)
	}
}
