// Go 1.22 to 1.24: range over integers and functions, generic type aliases.
package p

type Set[K comparable] = map[K]struct{}

func seq(yield func(int) bool) {}

func r() {
	for range 10 {
	}
	for i := range 3 {
		_ = i
	}
	for v := range seq {
		_ = v
	}
	var s Set[string]
	_ = s
}
