package stuckgoroutine

import (
	"net/http"
	"strings"
	"sync"
)

// A goroutine ranges over a channel that the function made and that nothing
// can close, so the range never ends.

type importServer struct {
	mu   sync.Mutex
	rows []string
}

func (s *importServer) save(row string) {
	s.mu.Lock()
	s.rows = append(s.rows, strings.TrimSpace(row))
	s.mu.Unlock()
}

// handleImport feeds a per-request worker and forgets to close its queue, so
// every request leaves one worker parked in its range loop.
func (s *importServer) handleImport(w http.ResponseWriter, r *http.Request) {
	jobs := make(chan string)
	go func() {
		for row := range jobs { // want "goroutine never ends: jobs is never closed, so this range blocks forever"
			s.save(row)
		}
	}()
	for _, row := range r.URL.Query()["row"] {
		jobs <- row
	}
	w.WriteHeader(http.StatusAccepted)
}

// handleImportClosed closes the queue when the handler returns.
func (s *importServer) handleImportClosed(w http.ResponseWriter, r *http.Request) {
	jobs := make(chan string)
	defer close(jobs)
	go func() {
		for row := range jobs {
			s.save(row)
		}
	}()
	for _, row := range r.URL.Query()["row"] {
		jobs <- row
	}
	w.WriteHeader(http.StatusAccepted)
}

type indexer struct {
	mu    sync.Mutex
	terms map[string]int
}

func (ix *indexer) add(doc string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, t := range strings.Fields(doc) {
		ix.terms[t]++
	}
}

// consume is started as a goroutine and indexes documents until docs is
// closed.
func (ix *indexer) consume(docs <-chan string) {
	for d := range docs { // want "goroutine never ends: docs is never closed, so this range blocks forever"
		ix.add(d)
	}
}

// IndexBatch never closes the queue it hands to consume.
func (ix *indexer) IndexBatch(batch []string) {
	queue := make(chan string)
	go ix.consume(queue)
	for _, d := range batch {
		queue <- d
	}
}

// IndexBatchClosed closes the queue after the last document: it adds no
// report to consume's range.
func (ix *indexer) IndexBatchClosed(batch []string) {
	queue := make(chan string)
	go ix.consume(queue)
	for _, d := range batch {
		queue <- d
	}
	close(queue)
}

type event struct {
	name string
}

type batcher struct {
	in chan event
}

// newBatcher starts one collector per batcher. The channel is stored in an
// unexported field, and nothing in the package ever closes that field, so
// every batcher that is dropped leaves its collector behind.
func newBatcher(size int, flush func([]event)) *batcher {
	in := make(chan event)
	go func() {
		buf := make([]event, 0, size)
		for e := range in { // want "goroutine never ends: in is never closed, so this range blocks forever"
			buf = append(buf, e)
			if len(buf) == size {
				flush(buf)
				buf = make([]event, 0, size)
			}
		}
	}()
	return &batcher{in: in}
}

// Add queues one event.
func (b *batcher) Add(e event) {
	b.in <- e
}

type flusher struct {
	in chan event
}

// newFlusher has the same collector, and Stop closes the channel it ranges
// over.
func newFlusher(size int, flush func([]event)) *flusher {
	in := make(chan event)
	go func() {
		buf := make([]event, 0, size)
		for e := range in {
			buf = append(buf, e)
			if len(buf) == size {
				flush(buf)
				buf = make([]event, 0, size)
			}
		}
		if len(buf) > 0 {
			flush(buf)
		}
	}()
	return &flusher{in: in}
}

// Add queues one event.
func (f *flusher) Add(e event) {
	f.in <- e
}

// Stop flushes what is left and ends the collector.
func (f *flusher) Stop() {
	close(f.in)
}

type frameReader interface {
	ReadFrame() ([]byte, error)
}

type frameWriter interface {
	WriteFrame(frame []byte) error
}

// serveConn writes replies from a helper goroutine; the read error returns
// without closing replies, and the writer waits forever.
func serveConn(in frameReader, out frameWriter, handle func([]byte) []byte) error {
	replies := make(chan []byte, 8)
	go func() {
		for f := range replies { // want "goroutine never ends: replies is never closed, so this range blocks forever"
			_ = out.WriteFrame(f)
		}
	}()
	for {
		f, err := in.ReadFrame()
		if err != nil {
			return err
		}
		replies <- handle(f)
	}
}

// serveConnClosed closes replies on every return.
func serveConnClosed(in frameReader, out frameWriter, handle func([]byte) []byte) error {
	replies := make(chan []byte, 8)
	defer close(replies)
	go func() {
		for f := range replies {
			_ = out.WriteFrame(f)
		}
	}()
	for {
		f, err := in.ReadFrame()
		if err != nil {
			return err
		}
		replies <- handle(f)
	}
}

func shrink(name string) string {
	return "thumb-" + name
}

// thumbnails fills the task queue but never closes it; the workers hand back
// every result and then wait for more tasks forever.
func thumbnails(images []string, workers int) []string {
	tasks := make(chan string, len(images))
	done := make(chan string, len(images))
	for _, img := range images {
		tasks <- img
	}
	for i := 0; i < workers; i++ {
		go func() {
			for img := range tasks { // want "goroutine never ends: tasks is never closed, so this range blocks forever"
				done <- shrink(img)
			}
		}()
	}
	out := make([]string, 0, len(images))
	for range images {
		out = append(out, <-done)
	}
	return out
}

// thumbnailsClosed closes the queue once it is full, so the workers finish.
func thumbnailsClosed(images []string, workers int) []string {
	tasks := make(chan string, len(images))
	done := make(chan string, len(images))
	for _, img := range images {
		tasks <- img
	}
	close(tasks)
	for i := 0; i < workers; i++ {
		go func() {
			for img := range tasks {
				done <- shrink(img)
			}
		}()
	}
	out := make([]string, 0, len(images))
	for range images {
		out = append(out, <-done)
	}
	return out
}

// wordCount splits the work between a producer that closes its output with
// defer and a counter that ranges over it until then.
func wordCount(docs []string) int {
	words := make(chan string)
	total := make(chan int, 1)
	go func() {
		defer close(words)
		for _, d := range docs {
			for _, w := range strings.Fields(d) {
				words <- w
			}
		}
	}()
	go func() {
		n := 0
		for range words {
			n++
		}
		total <- n
	}()
	return <-total
}

type fileSum struct {
	name  string
	value int
}

// checksumAll fans out one goroutine per file, closes sums once the
// WaitGroup says every sender is done, and lets a collector goroutine range
// over all of them.
func checksumAll(files []string) map[string]int {
	sums := make(chan fileSum)
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			sums <- fileSum{name: name, value: len(name) * 31}
		}(f)
	}
	collected := make(chan map[string]int, 1)
	go func() {
		m := make(map[string]int, len(files))
		for s := range sums {
			m[s.name] = s.value
		}
		collected <- m
	}()
	wg.Wait()
	close(sums)
	return <-collected
}

// forward ranges over a channel the caller made and owns: whether it is ever
// closed is decided elsewhere.
func forward(in <-chan string, emit func(string)) {
	go func() {
		for s := range in {
			emit(s)
		}
	}()
}

// startPrinter returns the channel its goroutine ranges over; the caller
// closes it.
func startPrinter(emit func(string)) chan<- string {
	lines := make(chan string)
	go func() {
		for l := range lines {
			emit(l)
		}
	}()
	return lines
}

type hub struct {
	mu   sync.Mutex
	subs map[chan string]bool
}

func (h *hub) register(ch chan string) {
	h.mu.Lock()
	h.subs[ch] = true
	h.mu.Unlock()
}

// Subscribe hands the channel to the hub, and CloseAll closes it.
func (h *hub) Subscribe(deliver func(string)) {
	ch := make(chan string, 16)
	h.register(ch)
	go func() {
		for msg := range ch {
			deliver(msg)
		}
	}()
}

// CloseAll ends every subscriber.
func (h *hub) CloseAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		close(ch)
		delete(h.subs, ch)
	}
}
