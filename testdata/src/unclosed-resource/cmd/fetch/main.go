// Command fetch prints a URL. What main leaks lives until the command
// exits: the findings are notes, except a leak per loop iteration.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	resp, err := http.Get(os.Args[1]) // want "response from http\\.Get is not closed on every path"
	if err != nil {
		os.Exit(1)
	}
	_, _ = io.Copy(os.Stdout, resp.Body)
	for _, name := range os.Args[2:] {
		f, err := os.Open(name) // want "file from os\\.Open is not closed on every path"
		if err != nil {
			continue
		}
		_, _ = io.Copy(os.Stdout, f)
	}
	fmt.Println(fetchOne(os.Args[1]))
}

// fetchOne is not main: its leak is a warning even in a command.
func fetchOne(url string) int {
	resp, err := http.Get(url) // want "response from http\\.Get is not closed on every path"
	if err != nil {
		return 0
	}
	return resp.StatusCode
}
