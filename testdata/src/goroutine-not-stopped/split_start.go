package goroutinenotstopped

// The type and its constructor here, the loop and Stop in other files.

type Ring[T any] struct {
	in   chan T
	done chan struct{}
}

func NewRing[T any]() *Ring[T] {
	r := &Ring[T]{in: make(chan T), done: make(chan struct{})}
	go r.spin()
	return r
}

type Gauge struct {
	values chan float64
	done   chan struct{}
}

func NewGauge() Gauge {
	g := Gauge{values: make(chan float64), done: make(chan struct{})}
	go g.watch()
	return g
}
