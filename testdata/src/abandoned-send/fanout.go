package abandonedsend

import (
	"context"
	"sync"
	"time"
)

// Shape 3: goroutines started in a loop each send once, and the function
// takes fewer values than were sent.

type mirror struct {
	url     string
	latency time.Duration
}

func (m mirror) fetch(path string) []byte {
	time.Sleep(m.latency)
	return []byte(m.url + path)
}

// fastestMirror keeps the first body; every slower mirror stays blocked.
func fastestMirror(mirrors []mirror, path string) []byte {
	bodies := make(chan []byte)
	for _, m := range mirrors {
		go func(m mirror) {
			bodies <- m.fetch(path) // want "goroutines block forever sending on bodies: .*senders but the function stops receiving early"
		}(m)
	}
	return <-bodies
}

// fastestMirrorBuffered has a slot for every mirror.
func fastestMirrorBuffered(mirrors []mirror, path string) []byte {
	bodies := make(chan []byte, len(mirrors))
	for _, m := range mirrors {
		go func(m mirror) {
			bodies <- m.fetch(path)
		}(m)
	}
	return <-bodies
}

type hedgedClient struct {
	primary string
	backup  string
	call    func(addr, key string) string
}

// Get asks both replicas and keeps the first reply; the slower one is stuck.
func (c *hedgedClient) Get(key string) string {
	replies := make(chan string)
	for _, addr := range []string{c.primary, c.backup} {
		go func(addr string) {
			replies <- c.call(addr, key) // want "goroutines block forever sending on replies: .*senders but the function stops receiving early"
		}(addr)
	}
	return <-replies
}

// GetBuffered has a constant capacity that covers both replicas.
func (c *hedgedClient) GetBuffered(key string) string {
	replies := make(chan string, 2)
	for _, addr := range []string{c.primary, c.backup} {
		go func(addr string) {
			replies <- c.call(addr, key)
		}(addr)
	}
	return <-replies
}

type shardResult struct {
	rows []string
	err  error
}

type queryPlanner struct {
	queryShard func(ctx context.Context, shard, stmt string) ([]string, error)
}

// QueryAll returns on the first failing shard; the shards still running stay
// blocked on their sends.
func (q *queryPlanner) QueryAll(ctx context.Context, shards []string, stmt string) ([]string, error) {
	results := make(chan shardResult)
	for _, s := range shards {
		go func(shard string) {
			rows, err := q.queryShard(ctx, shard, stmt)
			results <- shardResult{rows: rows, err: err} // want "goroutines block forever sending on results: .*senders but the function stops receiving early"
		}(s)
	}
	var all []string
	for range shards {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		all = append(all, r.rows...)
	}
	return all, nil
}

// QueryAllCollect receives one value per shard before it reports the first
// error.
func (q *queryPlanner) QueryAllCollect(ctx context.Context, shards []string, stmt string) ([]string, error) {
	results := make(chan shardResult)
	for _, s := range shards {
		go func(shard string) {
			rows, err := q.queryShard(ctx, shard, stmt)
			results <- shardResult{rows: rows, err: err}
		}(s)
	}
	var all []string
	var firstErr error
	for range shards {
		r := <-results
		if r.err != nil {
			if firstErr == nil {
				firstErr = r.err
			}
			continue
		}
		all = append(all, r.rows...)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return all, nil
}

// QueryAllDrained returns on the first error, and a deferred loop receives
// whatever is still pending.
func (q *queryPlanner) QueryAllDrained(ctx context.Context, shards []string, stmt string) ([]string, error) {
	results := make(chan shardResult)
	for _, s := range shards {
		go func(shard string) {
			rows, err := q.queryShard(ctx, shard, stmt)
			results <- shardResult{rows: rows, err: err}
		}(s)
	}
	pending := len(shards)
	defer func() {
		for ; pending > 0; pending-- {
			<-results
		}
	}()
	var all []string
	for pending > 0 {
		r := <-results
		pending--
		if r.err != nil {
			return nil, r.err
		}
		all = append(all, r.rows...)
	}
	return all, nil
}

type registry interface {
	owner(pkg string) string
}

// findOwner breaks out of its receive loop at the first registry that knows
// the package.
func findOwner(registries []registry, pkg string) (string, bool) {
	found := make(chan string)
	for _, reg := range registries {
		go func(reg registry) {
			found <- reg.owner(pkg) // want "goroutines block forever sending on found: .*senders but the function stops receiving early"
		}(reg)
	}
	owner := ""
	for i := 0; i < len(registries); i++ {
		if o := <-found; o != "" {
			owner = o
			break
		}
	}
	return owner, owner != ""
}

// findOwnerBuffered breaks out the same way, with a slot for every registry.
func findOwnerBuffered(registries []registry, pkg string) (string, bool) {
	found := make(chan string, len(registries))
	for _, reg := range registries {
		go func(reg registry) {
			found <- reg.owner(pkg)
		}(reg)
	}
	owner := ""
	for i := 0; i < len(registries); i++ {
		if o := <-found; o != "" {
			owner = o
			break
		}
	}
	return owner, owner != ""
}

// findOwners skips empty answers with continue, which keeps receiving.
func findOwners(registries []registry, pkg string) []string {
	found := make(chan string)
	for _, reg := range registries {
		go func(reg registry) {
			found <- reg.owner(pkg)
		}(reg)
	}
	var owners []string
	for i := 0; i < len(registries); i++ {
		o := <-found
		if o == "" {
			continue
		}
		owners = append(owners, o)
	}
	return owners
}

type crawler struct {
	title func(url string) string
}

// Titles stops collecting when ctx ends; the pages still loading are stuck.
func (c *crawler) Titles(ctx context.Context, urls []string) ([]string, error) {
	titles := make(chan string)
	for _, u := range urls {
		go func(u string) {
			titles <- c.title(u) // want "goroutines block forever sending on titles: .*senders but the function stops receiving early"
		}(u)
	}
	out := make([]string, 0, len(urls))
	for len(out) < len(urls) {
		select {
		case t := <-titles:
			out = append(out, t)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// TitlesCancelAware has every sender watch the same context.
func (c *crawler) TitlesCancelAware(ctx context.Context, urls []string) ([]string, error) {
	titles := make(chan string)
	for _, u := range urls {
		go func(u string) {
			t := c.title(u)
			select {
			case titles <- t:
			case <-ctx.Done():
			}
		}(u)
	}
	out := make([]string, 0, len(urls))
	for len(out) < len(urls) {
		select {
		case t := <-titles:
			out = append(out, t)
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// probe is started once per address and reports the address on up.
func probe(addr string, up chan<- string) {
	time.Sleep(time.Duration(len(addr)) * time.Millisecond)
	up <- addr // want "goroutines block forever sending on up: .*senders but the function stops receiving early"
}

// firstReachable keeps the first address that answers.
func firstReachable(addrs []string) string {
	up := make(chan string)
	for _, a := range addrs {
		go probe(a, up)
	}
	return <-up
}

type item struct {
	id   string
	data []byte
}

func fetchItem(ctx context.Context, id string) item {
	if ctx.Err() != nil {
		return item{id: id}
	}
	return item{id: id, data: []byte(id)}
}

// fetchAll closes the channel once the WaitGroup says every sender is done,
// and ranges over every value.
func fetchAll(ctx context.Context, ids []string) []item {
	out := make(chan item)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			out <- fetchItem(ctx, id)
		}(id)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	items := make([]item, 0, len(ids))
	for it := range out {
		items = append(items, it)
	}
	return items
}
