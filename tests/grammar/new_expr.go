// Go 1.26: the operand of new may be an expression, the initial value.
package p

type Person struct {
	Name string
	Age  *int
}

func yearsSince(y int) int { return 2026 - y }

func f() {
	p := new(int64(500))
	s := new("2MB")
	q := Person{Name: "x", Age: new(yearsSince(1990))}
	t := new(T)
	m := make(map[string]int, 3)
	c := make(chan int)
	b := new(bool)
	_, _, _, _, _, _, _ = p, s, q, t, m, c, b
}

type T struct{}
