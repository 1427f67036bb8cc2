package main

import "time"

// Negative: main runs once; its ticker lives as long as the process.
func main() {
	for t := range time.Tick(time.Second) {
		if t.IsZero() {
			return
		}
	}
}
