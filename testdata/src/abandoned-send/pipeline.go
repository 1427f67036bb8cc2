package abandonedsend

import (
	"context"
	"strings"
)

// A producer sends in a loop; the function stops receiving before it is
// done: a return out of the range, a competing select case, a `break` to a
// label, or a return before the first receive.

// firstLong returns at the first long line; the producer is still sending.
func firstLong(lines []string) string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, l := range lines {
			out <- strings.TrimSpace(l) // want "goroutine blocks forever sending on out: the function stops receiving before the producer is done"
		}
	}()
	for l := range out {
		if len(l) > 80 {
			return l
		}
	}
	return ""
}

// allLong ranges to the end, so the producer finishes.
func allLong(lines []string) []string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, l := range lines {
			out <- strings.TrimSpace(l)
		}
	}()
	var long []string
	for l := range out {
		if len(l) > 80 {
			long = append(long, l)
		}
	}
	return long
}

// firstLongStoppable tells the producer to stop when it leaves.
func firstLongStoppable(lines []string) string {
	out := make(chan string)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(out)
		for _, l := range lines {
			select {
			case out <- strings.TrimSpace(l):
			case <-stop:
				return
			}
		}
	}()
	for l := range out {
		if len(l) > 80 {
			return l
		}
	}
	return ""
}

// squares stops collecting when the context ends.
func squares(ctx context.Context, src []int) ([]int, error) {
	out := make(chan int)
	go func() {
		for _, v := range src {
			out <- v * v // want "goroutine blocks forever sending on out: the function leaves on another select case before the producer is done"
		}
		close(out)
	}()
	var got []int
	for {
		select {
		case v, ok := <-out:
			if !ok {
				return got, nil
			}
			got = append(got, v)
		case <-ctx.Done():
			return got, ctx.Err()
		}
	}
}

// squaresAll has no other case: it returns once the producer closes.
func squaresAll(src []int) []int {
	out := make(chan int)
	go func() {
		for _, v := range src {
			out <- v * v
		}
		close(out)
	}()
	var got []int
	for {
		v, ok := <-out
		if !ok {
			return got
		}
		got = append(got, v)
	}
}

// firstNegative breaks out of its range with a label.
func firstNegative(src []int) int {
	out := make(chan int)
	go func() {
		for _, v := range src {
			out <- v // want "goroutine blocks forever sending on out: the function stops receiving before the producer is done"
		}
		close(out)
	}()
	found := 0
scan:
	for v := range out {
		if v < 0 {
			found = v
			break scan
		}
	}
	return found
}

// sumChecked returns on bad input before it receives anything.
func sumChecked(src []int, limit int) (int, error) {
	out := make(chan int)
	go func() {
		for _, v := range src {
			out <- v // want "goroutine blocks forever sending on out: the function leaves before it receives"
		}
		close(out)
	}()
	if len(src) > limit {
		return 0, errTooLarge
	}
	total := 0
	for v := range out {
		total += v
	}
	return total, nil
}

// convertAll stops at the producer's first error, which the producer sends
// on errc before it returns: nothing is left sending.
func convertAll(src []string, conv func(string) (int, error)) ([]int, error) {
	out := make(chan int)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		for _, s := range src {
			v, err := conv(s)
			if err != nil {
				errc <- err
				return
			}
			out <- v
		}
	}()
	var got []int
	for {
		select {
		case v, ok := <-out:
			if !ok {
				return got, nil
			}
			got = append(got, v)
		case err := <-errc:
			return nil, err
		}
	}
}
