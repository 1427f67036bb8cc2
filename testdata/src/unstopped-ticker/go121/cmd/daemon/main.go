package main

import "time"

func tick() {}

func main() {
	t := time.NewTicker(time.Second)
	go func() {
		for range t.C { // want "a note only: started from `main`"
			tick()
		}
	}()
	u := time.NewTicker(time.Minute)
	<-u.C
}
