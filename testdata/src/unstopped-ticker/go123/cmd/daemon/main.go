package main

import "time"

func tick() {}

func main() {
	t := time.NewTicker(time.Second)
	go func() {
		for range t.C {
			tick()
		}
	}()
	u := time.NewTicker(time.Minute)
	<-u.C
}
