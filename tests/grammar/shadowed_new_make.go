// A package may declare its own new and make, and call them with any arguments.
package p

import "strconv"

func new(pid, path string, systemd bool) (int, error) { return 0, nil }

func make(n int) []int { return nil }

func g(pid int) {
	_, _ = new(strconv.Itoa(pid), "", true)
	_, _ = new("self", "/", false)
	_ = make(3)
}

func slice(old, new []byte) []byte { return new[len(old):] }
