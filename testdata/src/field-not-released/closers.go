package fieldnotreleased

// Closers made by the package itself, slices of them, and types without a
// release method that the package releases elsewhere.

import (
	"os"
	"time"
)

type store struct{ f *os.File }

func openStore(path string) *store {
	f, _ := os.Open(path)
	return &store{f: f}
}

func (s *store) Close() error { return s.f.Close() }

type Index struct {
	primary   *store
	secondary *store
}

func NewIndex(dir string) *Index {
	ix := &Index{}
	ix.primary = openStore(dir + "/a")
	ix.secondary = openStore(dir + "/b") // want `openStore\(…\) is stored in Index.secondary, but Index.Close never closes it`
	return ix
}

func (ix *Index) Close() error {
	return ix.primary.Close()
}

// A slice of tickers stopped by iterating it.
type Fleet struct {
	tickers []*time.Ticker
}

func NewFleet(n int) *Fleet {
	f := &Fleet{tickers: make([]*time.Ticker, n)}
	for i := range f.tickers {
		f.tickers[i] = time.NewTicker(time.Second)
	}
	return f
}

func (f *Fleet) Stop() {
	for _, t := range f.tickers {
		t.Stop()
	}
}

// The same without the loop in Stop.
type Swarm struct {
	tickers []*time.Ticker
	stopped bool
}

func NewSwarm(n int) *Swarm {
	s := &Swarm{tickers: make([]*time.Ticker, n)}
	for i := range s.tickers {
		s.tickers[i] = time.NewTicker(time.Second) // want `time.NewTicker\(…\) is stored in Swarm.tickers, but Swarm.Stop never stops it`
	}
	return s
}

func (s *Swarm) Stop() { s.stopped = true }

// No release method, but the package stops it when it is done.
type job struct {
	ticker *time.Ticker
}

func runJob() {
	j := &job{ticker: time.NewTicker(time.Second)}
	defer finish(j)
	<-j.ticker.C
}

func finish(j *job) { j.ticker.Stop() }

// An exported field: its users may stop it (a note).
type Beacon struct {
	Ticker *time.Ticker
}

func NewBeacon() *Beacon {
	return &Beacon{Ticker: time.NewTicker(time.Second)} // want `time.NewTicker\(…\) is stored in Beacon.Ticker, but Beacon has no Close or Stop method`
}

// A process-wide singleton made by a package variable (a note).
type metrics struct {
	flush *time.Ticker
}

var defaultMetrics = newMetrics()

func newMetrics() *metrics {
	return &metrics{flush: time.NewTicker(time.Minute)} // want `time.NewTicker\(…\) is stored in metrics.flush, but metrics has no Close or Stop method`
}
