package fieldnotreleased

// Closers collected with append: a Close that ranges over the slice and
// closes each one releases them all; a slice nobody ranges over releases
// nothing.

import (
	"io"
	"os"
	"time"
)

// Close ranges over the closers and closes each.
type bundle struct {
	closers []io.Closer
}

func (b *bundle) Add(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	b.closers = append(b.closers, f)
	return nil
}

func (b *bundle) Close() error {
	var first error
	for _, c := range b.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Close forgets the files it collected.
type archive struct {
	files []*os.File
	name  string
}

func (a *archive) Add(path string) error {
	f, err := os.Open(path) // want `os.Open\(…\) is stored in archive.files, but archive.Close never closes it`
	if err != nil {
		return err
	}
	a.files = append(a.files, f)
	return nil
}

func (a *archive) Close() error {
	a.name = ""
	return nil
}

// Tickers appended straight from the call, stopped by ranging.
type clocks struct {
	tickers []*time.Ticker
}

func (c *clocks) Add(d time.Duration) {
	c.tickers = append(c.tickers, time.NewTicker(d))
}

func (c *clocks) Stop() {
	for _, t := range c.tickers {
		t.Stop()
	}
}

// The same, and nobody ranges over them.
type alarms struct {
	tickers []*time.Ticker
	n       int
}

func (a *alarms) Add(d time.Duration) {
	a.tickers = append(a.tickers, time.NewTicker(d)) // want `time.NewTicker\(…\) is stored in alarms.tickers, but alarms.Stop never stops it`
}

func (a *alarms) Stop() { a.n = 0 }

// Appended to a local slice, not to the field: the function's business.
type lister struct {
	count int
}

func (l *lister) Sizes(paths []string) []int64 {
	var files []*os.File
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		files = append(files, f)
	}
	var out []int64
	for _, f := range files {
		if st, err := f.Stat(); err == nil {
			out = append(out, st.Size())
		}
		f.Close()
	}
	l.count += len(out)
	return out
}

// A command-like type: descriptors collected with append and closed by a
// helper that ranges over the slice it is given; the pipe is also kept in
// an exported field, which releases nothing by itself.
type command struct {
	Stdin           io.Reader
	closeAfterStart []io.Closer
}

func (c *command) stdin() (f *os.File, err error) {
	f, err = os.Open(os.DevNull)
	if err != nil {
		return
	}
	c.closeAfterStart = append(c.closeAfterStart, f)
	return
}

func (c *command) StdinPipe() (io.WriteCloser, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c.Stdin = pr
	c.closeAfterStart = append(c.closeAfterStart, pr)
	return pw, nil
}

func (c *command) closeDescriptors(closers []io.Closer) {
	for _, fd := range closers {
		fd.Close()
	}
}

func (c *command) Start() error {
	c.closeDescriptors(c.closeAfterStart)
	return nil
}

// The helper only counts what it is given.
type spool struct {
	files []*os.File
}

func (s *spool) Add(path string) error {
	f, err := os.Create(path) // want `os.Create\(…\) is stored in spool.files, but spool has no Close or Stop method and nothing in the package closes it`
	if err != nil {
		return err
	}
	s.files = append(s.files, f)
	return nil
}

func (s *spool) Flush() { report(s.files) }

func report(files []*os.File) {
	for _, f := range files {
		_ = f.Name()
	}
}
