package abandonedsend

import (
	"context"
	"errors"
	"time"
)

// Senders that send only on success, started in a loop: more goroutines
// may send than will be received.

type replica struct {
	addr string
	get  func(ctx context.Context, key string) (string, error)
}

// hedgedGet asks every replica and keeps the first good answer; the other
// good answers have nowhere to go.
func hedgedGet(ctx context.Context, replicas []replica, key string) (string, error) {
	answers := make(chan string)
	for _, r := range replicas {
		go func(r replica) {
			if v, err := r.get(ctx, key); err == nil {
				answers <- v // want "goroutines block forever sending on answers: .*senders but the function stops receiving early"
			}
		}(r)
	}
	select {
	case v := <-answers:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// hedgedGetBuffered has a slot for every replica.
func hedgedGetBuffered(ctx context.Context, replicas []replica, key string) (string, error) {
	answers := make(chan string, len(replicas))
	for _, r := range replicas {
		go func(r replica) {
			if v, err := r.get(ctx, key); err == nil {
				answers <- v
			}
		}(r)
	}
	select {
	case v := <-answers:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

type parsed struct {
	fields []string
}

func parseRecord(s string) (parsed, error) {
	if s == "" {
		return parsed{}, errors.New("empty record")
	}
	return parsed{fields: []string{s}}, nil
}

// parseOne sends either the error or the value, never both, and the select
// takes whichever comes: nothing is left behind.
func parseOne(s string) (parsed, error) {
	errc := make(chan error)
	out := make(chan parsed)
	go func() {
		p, err := parseRecord(s)
		if err != nil {
			errc <- err
		} else {
			out <- p
		}
	}()
	select {
	case err := <-errc:
		return parsed{}, err
	case p := <-out:
		return p, nil
	}
}

// parseOneCancellable also leaves when the context ends, abandoning
// whichever value the goroutine sends.
func parseOneCancellable(ctx context.Context, s string) (parsed, error) {
	errc := make(chan error)
	out := make(chan parsed)
	go func() {
		p, err := parseRecord(s)
		if err != nil {
			errc <- err // want "goroutine blocks forever sending on errc: the select returns on another case"
		} else {
			out <- p // want "goroutine blocks forever sending on out: the select returns on another case"
		}
	}()
	select {
	case err := <-errc:
		return parsed{}, err
	case p := <-out:
		return p, nil
	case <-ctx.Done():
		return parsed{}, ctx.Err()
	}
}

// statusOf sends on one of two paths; both sends make one report.
func statusOf(job string, run func(string) string) string {
	st := make(chan string)
	go func() {
		if job == "" {
			st <- "empty" // want "goroutine blocks forever sending on st: a return before the receive abandons it"
			return
		}
		st <- run(job)
	}()
	if len(job) > 64 {
		return "too long"
	}
	return <-st
}

// waitAnyway logs a slow answer and then still waits for it.
func waitAnyway(ctx context.Context, run func() string, logf func(string)) string {
	res := make(chan string)
	go func() {
		res <- run()
	}()
	select {
	case v := <-res:
		return v
	case <-ctx.Done():
		logf("still waiting")
	}
	return <-res
}

// firstOfTwo receives inside a loop over a literal, which runs at least once.
func firstOfTwo(run func() string) string {
	res := make(chan string)
	go func() {
		res <- run()
	}()
	var out string
	for _, suffix := range []string{"!", "?"} {
		out = <-res + suffix
		break
	}
	return out
}

// pollResult prints a status on every tick and loops back; the deadline
// case is the one that leaves.
func pollResult(ctx context.Context, tick <-chan time.Time, run func() string, status func()) string {
	res := make(chan string)
	go func() {
		res <- run() // want "goroutine blocks forever sending on res: the select returns on another case and nobody receives"
	}()
	for {
		select {
		case v := <-res:
			return v
		case <-tick:
			status()
		case <-ctx.Done():
			return ""
		}
	}
}
