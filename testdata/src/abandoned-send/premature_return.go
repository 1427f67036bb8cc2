package abandonedsend

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"
)

// Shape 1: the function waits for the goroutine in a select, and another case
// of that select leaves the function while the goroutine still has to send.

var (
	errTimeout      = errors.New("timed out")
	errShuttingDown = errors.New("shutting down")
)

type searchResult struct {
	Query string   `json:"query"`
	Hits  []string `json:"hits"`
}

type searchServer struct {
	index map[string][]string
}

func (s *searchServer) search(q string) searchResult {
	time.Sleep(50 * time.Millisecond)
	return searchResult{Query: q, Hits: s.index[q]}
}

// handleSearch answers with the search result, or gives up when the client
// goes away. Giving up leaves the search goroutine parked on its send.
func (s *searchServer) handleSearch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	results := make(chan searchResult)
	go func() {
		results <- s.search(r.URL.Query().Get("q")) // want "goroutine blocks forever sending on results: the select returns on another case"
	}()
	select {
	case res := <-results:
		_ = json.NewEncoder(w).Encode(res)
	case <-ctx.Done():
		http.Error(w, "request cancelled", http.StatusServiceUnavailable)
		return
	}
}

// handleSearchBuffered is the usual fix: a buffer of one lets the goroutine
// complete its single send even when nobody is left to read it.
func (s *searchServer) handleSearchBuffered(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	results := make(chan searchResult, 1)
	go func() {
		results <- s.search(r.URL.Query().Get("q"))
	}()
	select {
	case res := <-results:
		_ = json.NewEncoder(w).Encode(res)
	case <-ctx.Done():
		http.Error(w, "request cancelled", http.StatusServiceUnavailable)
		return
	}
}

// handleSearchCancelAware makes the sender give up together with the request.
func (s *searchServer) handleSearchCancelAware(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	results := make(chan searchResult)
	go func() {
		res := s.search(r.URL.Query().Get("q"))
		select {
		case results <- res:
		case <-ctx.Done():
		}
	}()
	select {
	case res := <-results:
		_ = json.NewEncoder(w).Encode(res)
	case <-ctx.Done():
		http.Error(w, "request cancelled", http.StatusServiceUnavailable)
		return
	}
}

type geoClient struct {
	countries map[string]string
	latency   time.Duration
}

func (g *geoClient) resolve(ip string) string {
	time.Sleep(g.latency)
	return g.countries[ip]
}

// Country waits a fixed budget for the lookup; the timeout case walks away.
func (g *geoClient) Country(ip string) (string, error) {
	answer := make(chan string)
	go func() {
		answer <- g.resolve(ip) // want "goroutine blocks forever sending on answer: the select returns on another case"
	}()
	select {
	case c := <-answer:
		return c, nil
	case <-time.After(250 * time.Millisecond):
		return "", errTimeout
	}
}

// CountryWithin uses an explicit timer; the leak is the same.
func (g *geoClient) CountryWithin(ip string, budget time.Duration) (string, error) {
	timer := time.NewTimer(budget)
	defer timer.Stop()
	answer := make(chan string)
	go func() {
		answer <- g.resolve(ip) // want "goroutine blocks forever sending on answer: the select returns on another case"
	}()
	select {
	case c := <-answer:
		return c, nil
	case <-timer.C:
		return "", errTimeout
	}
}

// CountryPatiently logs while it waits, but the only way out of its loop is
// the receive, so the goroutine always has its value taken.
func (g *geoClient) CountryPatiently(ip string, logf func(format string, args ...any)) string {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	answer := make(chan string)
	go func() {
		answer <- g.resolve(ip)
	}()
	waited := 0
	for {
		select {
		case c := <-answer:
			return c
		case <-tick.C:
			waited++
			logf("still resolving %s after %ds", ip, waited)
		}
	}
}

type renderer struct {
	shutdown chan struct{}
}

func (rd *renderer) draw(page string) []byte {
	return []byte("<h1>" + page + "</h1>")
}

// Render gives up as soon as the renderer shuts down.
func (rd *renderer) Render(page string) ([]byte, error) {
	out := make(chan []byte)
	go func() {
		out <- rd.draw(page) // want "goroutine blocks forever sending on out: the select returns on another case"
	}()
	select {
	case b := <-out:
		return b, nil
	case <-rd.shutdown:
		return nil, errShuttingDown
	}
}

// RenderOrShutdown lets the drawing goroutine watch the same shutdown channel.
func (rd *renderer) RenderOrShutdown(page string) ([]byte, error) {
	out := make(chan []byte)
	go func() {
		b := rd.draw(page)
		select {
		case out <- b:
		case <-rd.shutdown:
		}
	}()
	select {
	case b := <-out:
		return b, nil
	case <-rd.shutdown:
		return nil, errShuttingDown
	}
}

type staleCache struct {
	mu     sync.Mutex
	values map[string]string
	load   func(key string) string
}

func (c *staleCache) stale(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.values[key]
	return v, ok
}

func (c *staleCache) store(key, v string) {
	c.mu.Lock()
	c.values[key] = v
	c.mu.Unlock()
}

// Get starts a refresh and serves the stale value when the refresh is not
// ready at once, which is nearly always: the default case walks away.
func (c *staleCache) Get(key string) (string, bool) {
	fresh := make(chan string)
	go func() {
		fresh <- c.load(key) // want "goroutine blocks forever sending on fresh: the select returns on another case"
	}()
	select {
	case v := <-fresh:
		c.store(key, v)
		return v, true
	default:
		return c.stale(key)
	}
}

// GetRevalidating waits a little for the refresh; when nobody is waiting any
// more, the refresh takes its default case and stores the value itself.
func (c *staleCache) GetRevalidating(key string) (string, bool) {
	wait := time.NewTimer(20 * time.Millisecond)
	defer wait.Stop()
	fresh := make(chan string)
	go func() {
		v := c.load(key)
		select {
		case fresh <- v:
		default:
			c.store(key, v)
		}
	}()
	select {
	case v := <-fresh:
		c.store(key, v)
		return v, true
	case <-wait.C:
		return c.stale(key)
	}
}

type pricing struct {
	markup float64
}

// ConvertedPrice waits for the exchange rate until the request ends.
func (p *pricing) ConvertedPrice(ctx context.Context, cents int, currency string) (int, error) {
	rates := make(chan float64)
	go fetchRate(currency, rates)
	select {
	case rate := <-rates:
		return int(float64(cents) * rate * p.markup), nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// fetchRate looks the rate up and reports it on out.
func fetchRate(currency string, out chan<- float64) {
	time.Sleep(30 * time.Millisecond)
	rate := 1.0
	if currency == "EUR" {
		rate = 1.08
	}
	out <- rate // want "goroutine blocks forever sending on out: the select returns on another case"
}

// ConvertedPriceCancelAware hands the context to a sender that watches it.
func (p *pricing) ConvertedPriceCancelAware(ctx context.Context, cents int, currency string) (int, error) {
	rates := make(chan float64)
	go fetchRateUntil(ctx, currency, rates)
	select {
	case rate := <-rates:
		return int(float64(cents) * rate * p.markup), nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// fetchRateUntil reports the rate on out unless ctx ends first.
func fetchRateUntil(ctx context.Context, currency string, out chan<- float64) {
	rate := 1.0
	if currency == "EUR" {
		rate = 1.08
	}
	select {
	case out <- rate:
	case <-ctx.Done():
	}
}

type resolver struct {
	table map[string][]string
}

// resolve is started as a goroutine and sends its answer on out.
func (c *resolver) resolve(host string, out chan<- []string) {
	time.Sleep(10 * time.Millisecond)
	out <- c.table[host] // want "goroutine blocks forever sending on out: the select returns on another case"
}

// LookupHost starts the method as a goroutine on an unbuffered channel and
// leaves when ctx ends.
func (c *resolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	addrs := make(chan []string)
	go c.resolve(host, addrs)
	select {
	case a := <-addrs:
		return a, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// LookupHostBuffered starts the same method on a channel with room for its
// one value: it adds no report to resolve's send.
func (c *resolver) LookupHostBuffered(ctx context.Context, host string) ([]string, error) {
	addrs := make(chan []string, 1)
	go c.resolve(host, addrs)
	select {
	case a := <-addrs:
		return a, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
